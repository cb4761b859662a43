// The results table every benchmark contributes to: a module calls reporter(itsName).row(...)
// for each figure it wants in docs/bench-results.md; scripts/bench.mjs calls writeResults() when
// the modules it ran have finished. The file has one section per benchmark, each with the machine
// it ran on; a run replaces the sections of the benchmarks it ran and keeps the others.
// scripts/readme-speed.mjs copies the sections into README.md's "Speed and size".
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";

export const RESULTS = new URL("../../docs/bench-results.md", import.meta.url);
export const COLUMNS = ["what", "oauth-edge", "peer", "ratio"];

const rows = new Map(); // bench name → [[cell, cell, cell, cell]]

/** The rows of benchmark `bench`: `row({ what, ours, peer, ratio })`, each a string cell. */
export function reporter(bench) {
  rows.set(bench, []);
  return {
    row({ what, ours, peer = "", ratio = "" }) {
      rows.get(bench).push([what, ours, peer, ratio].map((c) => String(c).replaceAll("|", "\\|").replaceAll("\n", " ")));
    },
  };
}

/** Two times, ours and a peer's → "2.10× faster" / "1.35× slower" (oauth-edge's view). */
export function ratio(ours, peer) {
  return ours <= peer ? `${(peer / ours).toFixed(2)}× faster` : `${(ours / peer).toFixed(2)}× slower`;
}

/** The machine line of a section: `nproc`, the CPU model, Node, the date. */
export function machine() {
  const nproc = execFileSync("nproc", { encoding: "utf8" }).trim();
  const cpu = /^model name\s*:\s*(.+)$/m.exec(readFileSync("/proc/cpuinfo", "utf8"))?.[1].trim() ?? "unknown CPU";
  return `${nproc} cores (nproc), ${cpu}, Node ${process.version}, ${new Date().toISOString().slice(0, 10)}`;
}

const SECTION = /<!-- bench:(\w+) -->\n([\s\S]*?)<!-- \/bench:\1 -->\n/g;

/** The sections of the results file: [{name, machine, rows: [[cells]]}], in file order. */
export function readResults(file = RESULTS) {
  if (!existsSync(file)) return [];
  return [...readFileSync(file, "utf8").matchAll(SECTION)].map(([, name, body]) => ({
    name,
    machine: /^Machine: (.+)\.$/m.exec(body)?.[1] ?? "",
    rows: body.split("\n").filter((l) => l.startsWith("| ") && !l.startsWith(`| ${COLUMNS[0]} |`))
      .map((l) => l.slice(2, -2).split(" | ")), // a pipe inside a cell is written \|, never " | "
  }));
}

export const tableOf = (rowList) =>
  [`| ${COLUMNS.join(" | ")} |`, `|${COLUMNS.map(() => "---").join("|")}|`, ...rowList.map((r) => `| ${r.join(" | ")} |`)].join("\n");

/** Writes the sections of the benchmarks that ran (in `order`), keeping the others' from the file. */
export function writeResults(order, file = RESULTS) {
  const here = machine();
  const kept = new Map(readResults(file).map((s) => [s.name, s]));
  for (const [name, list] of rows) kept.set(name, { name, machine: here, rows: list });
  const sections = [...kept.values()].sort((a, b) => order.indexOf(a.name) - order.indexOf(b.name));
  const text = [
    "# Benchmark results",
    "",
    "Written by `node scripts/bench.mjs` (each benchmark's rows through scripts/bench/report.mjs); a run",
    "replaces the sections of the benchmarks it ran. `node scripts/readme-speed.mjs` copies them into",
    "README.md's \"Speed and size\". Do not edit by hand.",
    "",
    ...sections.flatMap((s) => [`<!-- bench:${s.name} -->`, `## ${s.name}`, "", `Machine: ${s.machine}.`, "", tableOf(s.rows), `<!-- /bench:${s.name} -->`, ""]),
  ].join("\n");
  writeFileSync(file, text);
  return file;
}
