// Node: an import does no WebAssembly work on the main thread (cold start, README "Speed and
// size"). The .wasm is read and compiled in the background (fs.readFile on libuv's pool,
// WebAssembly.compile off the main thread) and instantiated once that is done; a call made
// before then reads and compiles the bytes itself, synchronously (scripts/patch-glue.mjs:
// initSync with a function loads on first use).
import { initSync } from "../exports.js";

// process.getBuiltinModule (Node ≥ 20.16) hands over node:fs without its ESM facade, whose
// construction reads every export of fs, ReadStream included, which loads node:stream: about
// 1 ms of a cold start for a function that is not used.
const fs = process.getBuiltinModule?.("node:fs") ?? (await import("node:fs"));
const path = new URL("../oauth_edge_bg.wasm", import.meta.url);

let bytes; // read, not compiled yet
fs.readFile(path, (error, read) => {
  if (error) return; // the synchronous read of the first use reports it
  bytes = read;
  WebAssembly.compile(read).then(
    (module) => {
      bytes = undefined;
      try {
        initSync({ module }); // a no-op if a first use has loaded it already
      } catch {
        // left to the first use, which loads again and throws
      }
    },
    () => {}, // likewise: the synchronous compile of the first use says what is wrong
  );
});
initSync(() => {
  const module = bytes ?? fs.readFileSync(path);
  bytes = undefined;
  return { module };
});

export * from "../exports.js";
