// Helpers shared by the two CLI examples: flags with environment fallbacks, a progress display
// (a bar on a terminal, plain lines otherwise), atomic JSON writes and clean Ctrl-C handling.
import { open, rename, writeFile } from "node:fs/promises";
import { parseArgs } from "node:util";

/**
 * Parses `argv` against `spec` ({ name: { type, env?, default?, help } }). A flag wins over its
 * environment variable, which wins over the default. `--help` prints the usage and exits.
 */
export function options(usage, spec, argv = process.argv.slice(2)) {
  const parseSpec = { help: { type: "boolean", short: "h" } };
  for (const [name, o] of Object.entries(spec)) parseSpec[name] = { type: o.type === "boolean" ? "boolean" : "string" };
  let values;
  try {
    ({ values } = parseArgs({ args: argv, options: parseSpec, strict: true, allowPositionals: false }));
  } catch (e) {
    fail(`${e.message}\n\n${help(usage, spec)}`, 2);
  }
  if (values.help) {
    console.log(help(usage, spec));
    process.exit(0);
  }
  const out = {};
  for (const [name, o] of Object.entries(spec)) {
    let v = values[name];
    if (v === undefined && o.env && process.env[o.env] !== undefined && process.env[o.env] !== "") v = process.env[o.env];
    if (v === undefined) v = o.default;
    if (o.type === "boolean") v = v === true || v === "1" || v === "true";
    else if (o.type === "integer" && v !== undefined) {
      if (!/^\d+$/.test(String(v))) fail(`--${name} must be a whole number, got ${JSON.stringify(v)}`, 2);
      v = Number(v);
    } else if (o.choices && v !== undefined && !o.choices.includes(v)) fail(`--${name} must be one of ${o.choices.join(", ")}, got ${JSON.stringify(v)}`, 2);
    out[name] = v;
  }
  return out;
}

function help(usage, spec) {
  const rows = Object.entries(spec).map(([name, o]) => {
    const flag = `--${name}${o.type === "boolean" ? "" : " <value>"}`;
    const extra = [o.env ? `env ${o.env}` : null, o.default !== undefined && o.type !== "boolean" ? `default ${o.default}` : null].filter(Boolean).join(", ");
    return `  ${flag.padEnd(26)} ${o.help}${extra ? ` (${extra})` : ""}`;
  });
  return `${usage}\n\n${rows.join("\n")}`;
}

/** Prints `message` on stderr and exits with `code`. */
export function fail(message, code = 1) {
  console.error(message);
  process.exit(code);
}

/** Throws a usage error (exit 2) when any of `names` has no value. */
export function required(opts, names) {
  const missing = names.filter((n) => opts[n] === undefined || opts[n] === "");
  if (missing.length) fail(`missing ${missing.map((n) => `--${n}`).join(", ")} (see --help)`, 2);
}

/**
 * Progress on stderr: a redrawn bar when stderr is a terminal, one plain line per update
 * otherwise (logs, CI, pipes). `update({ label, done, total })`, then `end(message)`.
 */
export function progress(stream = process.stderr) {
  const tty = Boolean(stream.isTTY) && !process.env.NO_PROGRESS_BAR;
  let drawn = false;
  return {
    tty,
    update({ label, done, total }) {
      if (tty) {
        const width = Math.max(10, Math.min(40, (stream.columns || 80) - label.length - 30));
        const ratio = total ? Math.min(1, done / total) : 0;
        const bar = total ? "█".repeat(Math.round(ratio * width)).padEnd(width, "░") : "░".repeat(width);
        const count = total ? `${done}/${total} ${(ratio * 100).toFixed(0).padStart(3)}%` : `${done}`;
        stream.write(`\r${label} ${bar} ${count}\x1b[K`);
        drawn = true;
      } else {
        stream.write(`${label}: ${done}${total ? `/${total}` : ""}\n`);
      }
    },
    end(message) {
      if (drawn) stream.write("\n");
      drawn = false;
      if (message) stream.write(`${message}\n`);
    },
  };
}

/** Writes JSON to `path` atomically (temporary file, fsync, rename): never half a file. */
export async function writeJsonAtomic(path, value) {
  const tmp = `${path}.${process.pid}.tmp`;
  await writeFile(tmp, JSON.stringify(value, null, 2) + "\n");
  const fh = await open(tmp, "r+");
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
  await rename(tmp, path);
}

/**
 * An AbortSignal fired by the first SIGINT or SIGTERM, so a run stops between pages with what it
 * has saved; a second signal exits at once.
 */
export function interruptSignal() {
  const controller = new AbortController();
  const onSignal = (sig) => {
    if (controller.signal.aborted) process.exit(130);
    console.error(`\n${sig}: stopping after the current page (again to quit at once)`);
    controller.abort(new Error(`interrupted by ${sig}`));
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  return controller.signal;
}

/** One JSON Lines line per record. */
export const jsonLine = (record) => `${JSON.stringify(record)}\n`;

/** RFC 4180 CSV: quoted when needed, objects and arrays as JSON, CRLF line ends. */
export function csvLine(values) {
  return `${values.map((v) => {
    if (v === undefined || v === null) return "";
    const s = typeof v === "object" ? JSON.stringify(v) : String(v);
    return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  }).join(",")}\r\n`;
}
