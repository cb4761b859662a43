// The options interfaces of the .d.ts name exactly the options the constructors read. Each is
// declared by the same `js_options!` list as its reader (src/js/options.rs), so a declared
// option is always read; this catches the other half: an option read outside that list (a
// stray `get(&options, …)`), which would be missing from the declaration. The constructor runs
// on a Proxy of a valid options object that records every property read.
import { readFile } from "node:fs/promises";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

/** The members of `export interface <name>` in the declaration text (JSDoc lines skipped). */
export function declaredMembers(dts, name) {
  const m = new RegExp(`export interface ${name}(?: extends [^{]+)? \\{\\n([\\s\\S]*?)\\n\\}`).exec(dts);
  if (!m) throw new Error(`interface ${name} is not declared`);
  return m[1]
    .split("\n")
    .map((l) => /^\s+(\w+)\??:/.exec(l)?.[1])
    .filter(Boolean);
}

/** The property names `construct(proxy)` reads from `options`. */
function readKeys(options, construct) {
  const seen = new Set();
  const proxy = new Proxy(options, {
    get(target, key, receiver) {
      if (typeof key === "string") seen.add(key);
      return Reflect.get(target, key, receiver);
    },
  });
  construct(proxy);
  return seen;
}

/** Throws unless every interface lists exactly what its constructor reads. */
export async function checkOptionsDeclarations(pkgDir) {
  const dts = await readFile(join(pkgDir, "oauth_edge.d.ts"), "utf8");
  const pkg = await import(pathToFileURL(join(pkgDir, "entry", "node.js")).href);
  const client = () =>
    new pkg.OAuth2Client({ clientId: "c", tokenUrl: "https://as.example/token", fetch: async () => new Response("") });
  const store = { load: async () => null, save: async () => "1" };
  const cases = [
    ["OAuth2ClientOptions", { clientId: "c", tokenUrl: "https://as.example/token" }, (o) => new pkg.OAuth2Client(o)],
    ["TokenSessionOptions", { store }, (o) => new pkg.TokenSession(client(), o)],
  ];
  const problems = [];
  for (const [name, options, construct] of cases) {
    const declared = new Set(declaredMembers(dts, name));
    const read = readKeys(options, construct);
    for (const k of read) if (!declared.has(k)) problems.push(`${name}: '${k}' is read but not declared`);
    for (const k of declared) if (!read.has(k)) problems.push(`${name}: '${k}' is declared but never read`);
  }
  if (problems.length) throw new Error(problems.join("; "));
  return cases.length;
}
