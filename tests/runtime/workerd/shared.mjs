// What both workerd targets (run.mjs's OAuth 1.0a suite and session/workerd.mjs) need: the
// installed package as workerd modules, alias modules for bare specifiers, and waiting for the
// Worker to list its cases.
import { readdir } from "node:fs/promises";
import { join, posix } from "node:path";

export const PKG_DIR = "node_modules/oauth-edge";

/** capnp text strings share JSON's escapes for ASCII. */
export const capnpString = (s) => JSON.stringify(s);

/**
 * Every .js of the installed package as an ES module and every .wasm as a "wasm" module (a
 * WebAssembly.Module default export), each named by its path inside the app so the package's
 * relative imports resolve.
 */
export async function packageModules(app) {
  const files = [];
  const walk = async (rel) => {
    for (const e of await readdir(join(app, rel), { withFileTypes: true })) {
      const r = posix.join(rel, e.name);
      if (e.isDirectory()) await walk(r);
      else files.push(r);
    }
  };
  await walk(PKG_DIR);
  const modules = [];
  for (const f of files.sort()) {
    if (f.endsWith(".js")) modules.push(`(name = ${capnpString(f)}, esModule = embed ${capnpString(f)})`);
    else if (f.endsWith(".wasm")) modules.push(`(name = ${capnpString(f)}, wasm = embed ${capnpString(f)})`);
  }
  return modules;
}

/**
 * A module named `name` re-exporting `target` (a path inside the package). workerd resolves
 * every specifier, bare ones included, against the importer's name as a path.
 */
export function aliasModule(name, target) {
  const spec = posix.relative(posix.dirname(name), posix.join(PKG_DIR, target));
  const src = `export * from ${JSON.stringify(spec.startsWith(".") ? spec : `./${spec}`)};\n`;
  return `(name = ${capnpString(name)}, esModule = ${capnpString(src)})`;
}

/** Polls `${base}/cases` until the Worker answers; throws if workerd exits or time runs out. */
export async function waitForCaseList(base, exited, deadline) {
  for (;;) {
    const gone = exited();
    if (gone) throw new Error(`workerd exited (${gone.spawnError ? gone.spawnError.message : gone.code ?? gone.signal}) before listening`);
    if (Date.now() > deadline) throw new Error("workerd did not start listening in time");
    try {
      const res = await fetch(`${base}/cases`, { signal: AbortSignal.timeout(2000) });
      if (res.status !== 200) throw new Error(`GET /cases: HTTP ${res.status}: ${(await res.text()).slice(0, 300)}`);
      return await res.json();
    } catch (e) {
      if (e.message.startsWith("GET /cases")) throw e;
      await new Promise((r) => setTimeout(r, 100)); // poll while the server boots
    }
  }
}
