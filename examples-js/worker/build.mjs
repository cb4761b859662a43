// Bundles src/worker.js for workerd the way wrangler does: the `workerd` export condition of
// oauth-edge, one ES module (dist/worker.js) plus the .wasm as its own module
// (dist/oauth_edge_bg.wasm, imported as a WebAssembly.Module). `node build.mjs`.
import { build } from "esbuild";

await build({
  entryPoints: ["src/worker.js"],
  bundle: true,
  format: "esm",
  platform: "neutral",
  conditions: ["workerd", "worker"],
  loader: { ".wasm": "copy" },
  assetNames: "[name]",
  outdir: "dist",
  logLevel: "warning",
});
