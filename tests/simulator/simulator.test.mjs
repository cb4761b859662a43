// node 20 `node --test DIR` only discovers *.test.mjs-style names; this file makes
// `node --test tests/simulator/` run selftest.mjs (the tests live there).
import "./selftest.mjs";
