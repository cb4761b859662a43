// The measuring and printing shared by the parsing benchmarks (zapevent.mjs, rosters.mjs):
// contenders run interleaved, warm-up first, the median reported; the transport-only contender
// must read exactly the bodies' bytes and every other one passes its `check`.

export const WARMUP = 3; // runs of every contender before measuring (JIT, wasm tier-up)
// Measured runs, interleaved across the contenders; the median is reported. 21, not 11: on a
// 2-core VM the ORC ratio of one build ranged 1.11–1.61 over six runs of 11.
export const RUNS = 21;

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** Runs `runs` ({name: () => Promise<result>}) → {name: median ms}. */
export async function interleaved({ runs, bodyBytes, check }) {
  const times = Object.fromEntries(Object.keys(runs).map((k) => [k, []]));
  for (let round = 0; round < WARMUP + RUNS; round++) {
    for (const [name, run] of Object.entries(runs)) {
      const t0 = performance.now();
      const out = await run();
      const ms = performance.now() - t0;
      if (name === "transport") {
        if (out !== bodyBytes) throw new Error(`[bench] transport read ${out} bytes, want ${bodyBytes}`);
      } else {
        check(name, out);
      }
      if (round >= WARMUP) times[name].push(ms);
    }
  }
  return Object.fromEntries(Object.entries(times).map(([k, v]) => [k, median(v)]));
}

export const MB = (bytes) => `${(bytes / 1e6).toFixed(2)} MB`;

/** A result line: label, median ms and (for whole runs) records per second. */
export function printer(total) {
  const ms = (v) => `${v.toFixed(1).padStart(7)} ms`;
  const perSecond = (v) => `${Math.round(total / (v / 1000)).toLocaleString("en-US").padStart(9)} records/s`;
  return (label, v, rate = true) => console.log(`[bench]     ${label.padEnd(64)} ${ms(v)}${rate ? `  ${perSecond(v)}` : ""}`);
}
