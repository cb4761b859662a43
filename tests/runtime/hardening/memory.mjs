// Memory (issue 12 item 5), Node-only: runs memory-run.mjs in its own process (it needs
// --expose-gc and one instance to itself) and asserts on its figures: wasm linear memory stops
// growing after the warm-up (not one 64 KiB page across 100,000 signatures, 10,000
// session.fetch calls and the last 90 of 100 full 10,000-record paging runs), wrappers dropped
// without free() are collected and their Rust side freed (later rounds reuse the memory of the
// first), and the JS heap after a full GC stays where it was.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

function runScript() {
  const script = fileURLToPath(new URL("./memory-run.mjs", import.meta.url));
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--expose-gc", script], { env: process.env, stdio: ["ignore", "pipe", "inherit"] });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.on("error", reject);
    child.on("close", (code) => {
      const m = /^@@memory (\{.*\})$/m.exec(out);
      if (code !== 0 || !m) reject(new Error(`memory-run.mjs exited with ${code}: ${out.slice(-500)}`));
      else resolve(JSON.parse(m[1]));
    });
  });
}

export const memoryCases = [
  {
    name: "memory: wasm linear memory stops growing after warm-up (signatures, session.fetch, 100 × 10,000-record paging runs); dropped wrappers are freed",
    async run({ assert }) {
      const m = await runScript();
      console.log(`memory (64 KiB pages): ${JSON.stringify(m)}`);
      assert.equal(m.afterSignatures, m.warm, "pages after 100,000 signatures");
      assert.equal(m.afterFetches, m.warm, "pages after 10,000 session.fetch calls");
      assert.equal(m.afterPaging, m.afterPaging10, "pages across the last 90 paging runs");
      assert.ok(m.afterPaging - m.warm <= 1, `pages over the whole workload: ${m.warm} → ${m.afterPaging}`);
      const rounds = m.afterDropRounds;
      assert.equal(rounds.at(-1), rounds[1], `pages over 5 rounds of 4,000 dropped wrappers: ${rounds.join(", ")}`);
      assert.ok(m.collected >= 0.99 * m.dropped, `${m.collected} of ${m.dropped} dropped wrappers collected`);
      assert.ok(m.heapEndMb - m.heapWarmMb < 16, `JS heap after GC: ${m.heapWarmMb} → ${m.heapEndMb} MB`);
    },
  },
];
