// Child processes of the examples checks: `run` (a command to completion) and `serve` (a
// long-running example: resolves once it printed the line it prints when ready).
import { spawn } from "node:child_process";

const childEnv = (env) => ({ ...process.env, NO_COLOR: "1", ...env });

/** Runs a command; resolves to {code, signal, stdout, stderr}. `onSpawn(child)` sees the child. */
export function run(tag, cmd, argv, { cwd, env = {}, timeoutMs = 180_000, onSpawn, quiet = false } = {}) {
  return new Promise((done) => {
    const child = spawn(cmd, argv, { cwd, env: childEnv(env), stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.setEncoding("utf8").on("data", (d) => (stdout += d));
    child.stderr.setEncoding("utf8").on("data", (d) => (stderr += d));
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    onSpawn?.(child);
    child.on("error", (e) => {
      clearTimeout(timer);
      done({ code: null, signal: null, stdout, stderr: String(e) });
    });
    child.on("close", (code, signal) => {
      clearTimeout(timer);
      if (!quiet || code !== 0) {
        const text = `${stdout}${stderr}`.trimEnd();
        if (text) console.log(text.split("\n").slice(-40).map((l) => `[${tag}] ${l}`).join("\n"));
      }
      done({ code, signal, stdout, stderr });
    });
  });
}

/**
 * Starts a server process and waits until its output matches `ready` (a RegExp) or, for a
 * server that prints nothing (workerd), until `poll()` resolves truthy; resolves to
 * {match, output(), signal(name), exited, stop()}. `exited` resolves to {code, signal}; stop() sends SIGTERM, then SIGKILL after 5 s, and
 * resolves to {code, signal} once it exited.
 */
export function serve(tag, cmd, argv, { cwd, env = {}, ready = null, poll = null, timeoutMs = 60_000 }) {
  const child = spawn(cmd, argv, { cwd, env: childEnv(env), stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  const exited = new Promise((done) => child.on("close", (code, signal) => done({ code, signal })));
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      const t = setTimeout(() => child.kill("SIGKILL"), 5000);
      await exited;
      clearTimeout(t);
    }
    return exited;
  };
  return new Promise((resolve, reject) => {
    let settled = false;
    const timer = setTimeout(() => fail(new Error(`${tag}: not ready after ${timeoutMs} ms`)), timeoutMs);
    const succeed = (match) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve({ match, output: () => output, signal: (name) => child.kill(name), exited, stop });
    };
    const fail = (e) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      stop().then(() => reject(new Error(`${e.message}\n${output.split("\n").slice(-30).map((l) => `[${tag}] ${l}`).join("\n")}`)));
    };
    const onData = (d) => {
      output += d;
      const match = ready?.exec(output);
      if (match) succeed(match);
    };
    if (poll) {
      (async function again() {
        if (settled) return;
        if (await poll().catch(() => false)) return succeed(null);
        setTimeout(again, 100);
      })();
    }
    child.stdout.setEncoding("utf8").on("data", onData);
    child.stderr.setEncoding("utf8").on("data", onData);
    child.on("error", fail);
    exited.then(({ code, signal }) => fail(new Error(`${tag} exited (${code ?? signal}) before it was ready`)));
  });
}
