// The one named-check runner of the standalone test scripts (tests/examples/run.mjs,
// tests/package/check.mjs): each check prints ok/FAIL with its time; `finish()` prints the
// summary line and exits non-zero unless every check passed (and there was at least one).
export function checks(label, { showStack = false } = {}) {
  const results = [];
  return {
    results,
    async check(name, fn) {
      const t0 = performance.now();
      try {
        await fn();
        results.push({ name, ok: true });
        console.log(`[${label}] ok   ${name} (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
      } catch (e) {
        results.push({ name, ok: false });
        console.log(`[${label}] FAIL ${name}: ${showStack ? e.stack ?? e : e.message}`);
      }
    },
    finish() {
      const passed = results.filter((r) => r.ok).length;
      console.log(`${label}: ${passed} passed, ${results.length - passed} failed`);
      process.exit(results.length === passed && results.length > 0 ? 0 : 1);
    },
  };
}
