// Package checks of the BUILT, PACKED package (target/oauth-edge.tgz), as a user's tools see it:
//   1. publint --strict on the tarball's contents (packed files only, nothing re-packed);
//   2. @arethetypeswrong/cli on the tarball, ESM-only profile (the package is ESM only: the
//      node10 and CommonJS-require resolutions are out of scope);
//   3. tests/package/consumer.ts compiled with `tsc --strict --noEmit` against the tarball
//      installed by `npm install <tgz>`, once with NodeNext and once with Bundler resolution;
//   4. LICENSE-MIT, LICENSE-APACHE and CHANGELOG.md are in the tarball and equal the repository's;
//   5. the options interfaces of the .d.ts list exactly what the constructors read (options.mjs).
//
//   bash scripts/build.sh && node tests/package/check.mjs [--tgz path/to/oauth-edge.tgz]
//
// Uses publint, attw and tsc from tests/node_modules (tests/package.json). Last line:
// `package: N passed, N failed`; exit status 1 if any check failed.
import { spawn } from "node:child_process";
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { checks } from "../checks.mjs";
import { checkOptionsDeclarations } from "./options.mjs";

const HERE = dirname(fileURLToPath(import.meta.url));
const ROOT = resolve(HERE, "..", "..");
const BIN = join(ROOT, "tests", "node_modules", ".bin");
const argTgz = process.argv.indexOf("--tgz");
const TGZ = resolve(argTgz > 0 ? process.argv[argTgz + 1] : join(ROOT, "target", "oauth-edge.tgz"));

/** Runs a command, output prefixed with [tag]; resolves to {code, output}. */
function run(tag, cmd, args, { cwd, timeoutMs = 180_000 } = {}) {
  return new Promise((done) => {
    const child = spawn(cmd, args, { cwd, env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" }, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    for (const s of [child.stdout, child.stderr]) {
      s.setEncoding("utf8");
      s.on("data", (d) => {
        output += d;
      });
    }
    child.on("error", (e) => {
      clearTimeout(timer);
      done({ code: null, output: String(e) });
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      const text = output.trimEnd();
      if (text) console.log(text.split("\n").map((l) => `[${tag}] ${l}`).join("\n"));
      done({ code: code ?? signal, output });
    });
  });
}

const { results, check, finish } = checks("package");

const work = await mkdtemp(join(tmpdir(), "oauth-edge-package-"));
try {
  const unpacked = join(work, "unpacked");
  await mkdir(unpacked);
  const untar = await run("tar", "tar", ["-xzf", TGZ, "-C", unpacked]);
  if (untar.code !== 0) throw new Error(`cannot unpack ${relative(ROOT, TGZ)} (run \`bash scripts/build.sh\` first)`);
  const pkgDir = join(unpacked, "package");

  await check("publint --strict (the tarball's files)", async () => {
    const r = await run("publint", join(BIN, "publint"), ["run", pkgDir, "--strict", "--pack", "false"]);
    if (r.code !== 0) throw new Error(`publint exited with ${r.code}`);
    // publint prints suggestions and warnings without failing on them unless --strict; be sure.
    if (!/All good!/.test(r.output)) throw new Error("publint reported something (see above)");
  });

  await check("attw --profile esm-only (the tarball)", async () => {
    const r = await run("attw", join(BIN, "attw"), [TGZ, "--profile", "esm-only", "--format", "table-flipped"]);
    if (r.code !== 0) throw new Error(`attw exited with ${r.code}: a problem in a resolution the ESM-only profile checks`);
  });

  await check("options interfaces declare exactly what the constructors read", async () => {
    await checkOptionsDeclarations(pkgDir);
  });

  // A consumer project, set up the way a user would: npm install <tarball>.
  const app = join(work, "consumer");
  await mkdir(app);
  await writeFile(join(app, "package.json"), JSON.stringify({ name: "oauth-edge-ts-consumer", private: true, type: "module" }, null, 2) + "\n");
  const install = await run("npm", "npm", ["install", "--no-audit", "--no-fund", "--loglevel=error", TGZ], { cwd: app });
  await copyFile(join(HERE, "consumer.ts"), join(app, "consumer.ts"));
  const lib = ["ES2023", "ESNext.Disposable", "DOM", "DOM.Iterable"];
  for (const [label, compilerOptions] of [
    ["NodeNext", { module: "NodeNext", moduleResolution: "NodeNext" }],
    ["Bundler", { module: "ESNext", moduleResolution: "Bundler" }],
  ]) {
    await check(`tsc --strict --noEmit consumer.ts (${label} resolution)`, async () => {
      if (install.code !== 0) throw new Error(`npm install ${relative(ROOT, TGZ)} failed (${install.code})`);
      const tsconfig = { compilerOptions: { ...compilerOptions, target: "ES2022", lib, strict: true, noEmit: true, skipLibCheck: false, types: [], noUncheckedIndexedAccess: true, exactOptionalPropertyTypes: false }, files: ["consumer.ts"] };
      const file = `tsconfig.${label.toLowerCase()}.json`;
      await writeFile(join(app, file), JSON.stringify(tsconfig, null, 2) + "\n");
      const r = await run(`tsc ${label}`, join(BIN, "tsc"), ["-p", file, "--strict", "--noEmit", "--pretty", "false"], { cwd: app });
      if (r.code !== 0) throw new Error(`tsc exited with ${r.code}`);
    });
  }

  await check("LICENSE-MIT, LICENSE-APACHE and CHANGELOG.md packed, equal to the repository's", async () => {
    for (const f of ["LICENSE-MIT", "LICENSE-APACHE", "CHANGELOG.md"]) {
      const packed = await readFile(join(pkgDir, f), "utf8").catch(() => null);
      if (packed === null) throw new Error(`${f} is not in the tarball`);
      if (packed !== (await readFile(join(ROOT, f), "utf8"))) throw new Error(`${f} in the tarball differs from ${f} at the repository root (pkg-template/${f} is a copy: update it)`);
    }
  });
} finally {
  await rm(work, { recursive: true, force: true });
}

finish();
