// Loading (issue 10, cold start), Node-only: the `node` entry compiles the .wasm in the background
// at import and instantiates it on first use (pkg-template/entry/node.js, scripts/patch-glue.mjs).
// Each case runs in a fresh process, since the point is what happens before and at the first
// touch of the module: a use before init() is a typed INTERNAL error (it was a TypeError); in
// Node "oauth-edge/manual" is the Node entry itself (the entry is one file); a signature right
// after the import (the background compile not finished) and one after it has finished both
// work; and initSync with a bare WebAssembly.Module, which common.d.ts documents, prints nothing.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

// The consumer project (target/runtime-app), where "oauth-edge" resolves to the installed tarball.
const appDir = fileURLToPath(new URL("../..", import.meta.url));

// RFC 5849 §1.2's credentials, over https (http is refused off loopback). The header's
// exactness is asserted by the signing vectors elsewhere; here only that the module answers.
const signAndPrint = `
  const signer = new OAuth1Signer({ consumerKey: "dpf43f3p2l4k3l03", consumerSecret: "kd94hf93k423kf44",
    token: "nnch734d00sl2jdk", tokenSecret: "pfkkdhi9sl3r4s00" });
  const { headers } = signer.sign({ method: "GET", url: "https://photos.example.net/photos?file=vacation.jpg&size=original" });
  console.log("@@" + JSON.stringify({ header: headers.Authorization ?? headers.authorization }));`;

function runModule(source) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--input-type=module", "-e", source], {
      cwd: appDir,
      env: process.env,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (err += d));
    child.on("error", reject);
    child.on("close", (code) => {
      const m = /^@@(\{.*\})$/m.exec(out);
      if (code !== 0 || !m) reject(new Error(`the child exited with ${code}: ${out.slice(-300)} ${err.slice(-500)}`));
      else resolve({ ...JSON.parse(m[1]), stderr: err, stdout: out });
    });
  });
}

function assertSigned(assert, result) {
  assert.match(result.header, /^OAuth /, "an Authorization header");
  assert.match(result.header, /oauth_signature="[^"]+"/, "with a signature");
}

export const loadingCases = [
  {
    // In Node, "oauth-edge/manual" is the Node entry (one module: see the next case); every other
    // host's manual entry is exports.js, the module every entry shares, imported here by its path.
    name: "loading: the package's exports.js (every manual entry but Node's) used before init() is OAuthEdgeError INTERNAL, not a TypeError",
    async run({ assert }) {
      const r = await runModule(`
        import { createRequire } from "node:module";
        import { pathToFileURL } from "node:url";
        const wasmPath = createRequire(import.meta.url).resolve("oauth-edge/oauth_edge_bg.wasm");
        const { OAuth1Signer, OAuthEdgeError } = await import(pathToFileURL(wasmPath.replace(/oauth_edge_bg\.wasm$/, "exports.js")));
        try {
          new OAuth1Signer({ consumerKey: "k", consumerSecret: "s" }).sign({ method: "GET", url: "https://a.example/" });
          console.log("@@" + JSON.stringify({ threw: false }));
        } catch (e) {
          console.log("@@" + JSON.stringify({ threw: true, typed: e instanceof OAuthEdgeError, code: e.code, message: e.message }));
        }`);
      assert.equal(r.threw, true, "a use before init() throws");
      assert.equal(r.typed, true, `an OAuthEdgeError (${r.message})`);
      assert.equal(r.code, "INTERNAL");
      assert.match(r.message, /init\(\)/, "the message says what to do");
    },
  },
  {
    name: "loading: oauth-edge signs right after the import (before the background compile ends) and after it",
    async run({ assert }) {
      assertSigned(assert, await runModule(`import { OAuth1Signer } from "oauth-edge";${signAndPrint}`));
      assertSigned(
        assert,
        await runModule(`import { OAuth1Signer } from "oauth-edge";
          await new Promise((r) => setTimeout(r, 100));${signAndPrint}`),
      );
    },
  },
  {
    // init(bytes) is given the module's own bytes cut short, which do not compile: that it fails
    // shows the bytes given are the ones loaded (not the background compile's), and the entry's
    // own module still loads afterwards. The background read cannot have finished:
    // nothing here waits for a macrotask before init() runs.
    name: "loading: in Node, oauth-edge/manual is the Node entry (one module, usable without init()); init(bytes) before a first use loads those bytes",
    async run({ assert }) {
      const r = await runModule(`
        import { readFileSync } from "node:fs";
        import { createRequire } from "node:module";
        const resolve = createRequire(import.meta.url).resolve;
        const manual = await import("oauth-edge/manual");
        const main = await import("oauth-edge");
        const same = manual.OAuth1Signer === main.OAuth1Signer && manual.OAuthEdgeError === main.OAuthEdgeError;
        let initError = null;
        try {
          await manual.init(readFileSync(resolve("oauth-edge/oauth_edge_bg.wasm")).subarray(0, 1000));
        } catch (e) {
          initError = String(e?.name);
        }
        const { OAuth1Signer } = manual;
        ${signAndPrint.replace('console.log("@@" + JSON.stringify({', 'console.log("@@" + JSON.stringify({ same, initError,')}`);
      assert.equal(r.same, true, "one OAuth1Signer and one OAuthEdgeError across the two entries");
      assert.ok(r.initError, "init() with bytes that do not compile fails: it loads what it is given");
      assertSigned(assert, r);
    },
  },
  {
    name: "loading: initSync with a bare WebAssembly.Module (documented) prints no deprecation warning",
    async run({ assert }) {
      const r = await runModule(`
        import { readFileSync } from "node:fs";
        import { createRequire } from "node:module";
        const warnings = [];
        console.warn = (...args) => warnings.push(args.join(" "));
        const wasmPath = createRequire(import.meta.url).resolve("oauth-edge/oauth_edge_bg.wasm");
        const { initSync, OAuth1Signer } = await import("oauth-edge/manual");
        initSync(new WebAssembly.Module(readFileSync(wasmPath)));
        ${signAndPrint.replace('console.log("@@" + JSON.stringify({', 'console.log("@@" + JSON.stringify({ warnings,')}`);
      assertSigned(assert, r);
      assert.deepEqual(r.warnings, [], "console.warn calls");
      assert.equal(r.stderr.trim(), "", "stderr");
    },
  },
];
