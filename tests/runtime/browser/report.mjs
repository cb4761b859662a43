// Shared by the browser drivers: prints each case result and the machine-readable last line
// that run.mjs counts (`@@result {"passed":N,"failed":N}`).
export function report(results, fatal) {
  for (const r of results) {
    console.log(`${r.ok ? "ok  " : "FAIL"} ${r.name} (${r.ms} ms)`);
    if (!r.ok) console.log(String(r.error).replace(/^/gm, "     "));
  }
  let passed = results.filter((r) => r.ok).length;
  let failed = results.length - passed;
  if (fatal) {
    console.log(`FATAL the page could not run the suite:\n${String(fatal).replace(/^/gm, "     ")}`);
    failed += 1;
  }
  console.log(`@@result ${JSON.stringify({ passed, failed })}`);
  return failed === 0;
}

/** The URL of the suite page (index.html) running `group` in `runtime` (+ any other query). */
export const suitePage = (simUrl, query) => `${simUrl}/app/suite/browser/index.html?${new URLSearchParams(query)}`;

/** The expression a driver evaluates in the page: resolves with the JSON of window.__results. */
export const WAIT_FOR_RESULTS = `new Promise((resolve) => {
  const check = () => (window.__results && window.__results.done ? resolve(JSON.stringify(window.__results)) : setTimeout(check, 50));
  check();
})`;
