#!/usr/bin/env bash
# Supply-chain checks, the "supply chain" step of scripts/test.sh (issue 12, item 7):
#  1. lockfiles: Cargo.lock and fuzz/Cargo.lock resolve unchanged (--locked); every committed
#     package.json that installs third-party packages has a committed package-lock.json in sync
#     with it, or (the example templates, installed from the packed tarball) pins only exact
#     versions that tests/package-lock.json locks;
#  2. cargo deny (deny.toml) on both crate trees: licenses, bans, sources, offline-capable; and
#     advisories whenever the RustSec database can be had (fetched now, or a copy fetched earlier);
#  3. npm: the published package (pkg-template/package.json) has no dependencies at all, and
#     `npm audit --omit=dev` is clean for every lockfile; the dev tooling's full audit is shown
#     for information.
# An advisory source that cannot be reached is never a silent pass: the check says NOT CHECKED
# (and appends the line to $OAUTH_EDGE_NOTICES, which scripts/test.sh prints above its summary);
# OAUTH_EDGE_REQUIRE_ADVISORIES=1 makes that a failure instead.
set -uo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH" CARGO_TERM_COLOR=never NO_COLOR=1
log() { printf '[supply] %s\n' "$*"; }
failed=0
fail() { log "FAILED: $*"; failed=1; }
not_checked() { # what why
  log "NOTICE: $1 NOT CHECKED: $2"
  [ -z "${OAUTH_EDGE_NOTICES:-}" ] || printf 'supply chain: %s not checked: %s\n' "$1" "$2" >>"$OAUTH_EDGE_NOTICES"
  [ -z "${OAUTH_EDGE_REQUIRE_ADVISORIES:-}" ] || fail "$1 required (OAUTH_EDGE_REQUIRE_ADVISORIES=1)"
}
command -v cargo-deny >/dev/null || { log "cargo-deny is missing: run scripts/setup.sh"; exit 1; }

# --- 1. Cargo lockfiles ---------------------------------------------------------------------
for manifest in Cargo.toml fuzz/Cargo.toml; do
  if cargo metadata --locked --format-version 1 --manifest-path "$manifest" >/dev/null; then
    log "${manifest%Cargo.toml}Cargo.lock: up to date (--locked)"
  else
    fail "${manifest%Cargo.toml}Cargo.lock is not what $manifest resolves to (run cargo update -w and commit it)"
  fi
done

# --- 2. cargo deny --------------------------------------------------------------------------
# The main tree's license exception (libfuzzer-sys, NCSA) is for fuzz/ only: not a warning there.
deny() { # manifest cargo-deny-check-args...
  local manifest=$1; shift
  local quiet=(); [ "$manifest" = fuzz/Cargo.toml ] || quiet=(-A license-exception-not-encountered)
  cargo deny --locked --manifest-path "$manifest" --config deny.toml "${DENY_GLOBAL[@]}" check -s "${quiet[@]}" "$@" 2>&1 |
    sed "s|^|[supply] ${manifest}: |"
  return "${PIPESTATUS[0]}"
}
DENY_GLOBAL=()
for manifest in Cargo.toml fuzz/Cargo.toml; do
  deny "$manifest" licenses bans sources || fail "cargo deny (licenses, bans, sources) on $manifest"
done

# Advisories: the RustSec database is a git repository on GitHub (no package registry ships it).
# Fetched when reachable; otherwise a copy fetched earlier is used offline, saying how old it is;
# otherwise the advisories are not checked, and the step says so.
db_dir=${CARGO_HOME:-$HOME/.cargo}/advisory-dbs
fetch_log=$(mktemp); trap 'rm -f "$fetch_log"' EXIT
if timeout 120 cargo deny --config deny.toml fetch db >"$fetch_log" 2>&1; then
  log "RustSec advisory database fetched"
  DENY_GLOBAL=()
  db_ok=1
else
  reason=$(grep -m1 -iE 'fatal|could not|failed to connect|timed out|unable' "$fetch_log" || tail -1 "$fetch_log")
  copy=$(find "$db_dir" -mindepth 1 -maxdepth 1 -type d -name 'advisory-db-*' -exec test -d '{}/crates' \; -print -quit 2>/dev/null)
  if [ -n "$copy" ]; then
    when=$(git -C "$copy" log -1 --format=%cs 2>/dev/null || echo "unknown date")
    log "the RustSec advisory database could not be fetched (${reason#*: }); checking against the copy of $when in $copy"
    [ -z "${OAUTH_EDGE_NOTICES:-}" ] || printf 'supply chain: RustSec advisories checked against a local copy of %s (fetch failed)\n' "$when" >>"$OAUTH_EDGE_NOTICES"
    DENY_GLOBAL=(--offline)
    db_ok=1
  else
    not_checked "RustSec advisories (cargo deny check advisories)" "the advisory database, a git repository on GitHub, could not be fetched (${reason:-no answer}); licenses, bans and sources were checked"
    db_ok=0
  fi
fi
if [ "$db_ok" = 1 ]; then
  for manifest in Cargo.toml fuzz/Cargo.toml; do
    deny "$manifest" advisories || fail "cargo deny advisories on $manifest"
  done
fi

# --- 3. npm ---------------------------------------------------------------------------------
# One node program reads every committed package.json: the published one must declare no
# dependency of any kind; one with a committed lockfile is listed for the checks below; one
# without may install only oauth-edge (the packed tarball) and exact versions that
# tests/package-lock.json locks (the example templates, each installed by tests/examples/run.mjs
# from the tarball, as a user would: a lockfile of theirs could only name an unpublished
# oauth-edge).
lockdirs_file=$(mktemp); trap 'rm -f "$fetch_log" "$lockdirs_file"' EXIT
git ls-files -- '*package.json' ':!:**/node_modules/**' | node -e '
  const fs = require("fs"), path = require("path");
  const files = fs.readFileSync(0, "utf8").split("\n").filter(Boolean);
  const tracked = new Set(require("child_process").execFileSync("git", ["ls-files", "--", "*package-lock.json"], { encoding: "utf8" }).split("\n"));
  const kinds = ["dependencies", "devDependencies", "optionalDependencies", "peerDependencies", "bundleDependencies", "bundledDependencies"];
  const testsLock = JSON.parse(fs.readFileSync("tests/package-lock.json", "utf8")).packages;
  let bad = 0;
  const say = (s) => console.log(`[supply] ${s}`);
  for (const file of files) {
    const dir = path.dirname(file), pkg = JSON.parse(fs.readFileSync(file, "utf8"));
    const deps = Object.assign({}, ...kinds.map((k) => (Array.isArray(pkg[k]) ? {} : pkg[k] ?? {})));
    const declared = kinds.filter((k) => pkg[k] && Object.keys(pkg[k]).length);
    if (dir === "pkg-template") {
      if (declared.length) { say(`FAILED: the published package declares ${declared.join(", ")}: it must have no dependencies`); bad = 1; }
      else say("pkg-template/package.json (the published package): no dependencies of any kind");
      continue;
    }
    if (!Object.keys(deps).length) continue;
    if (tracked.has(path.join(dir, "package-lock.json"))) { fs.writeSync(3, `${dir}\n`); continue; }
    const loose = Object.entries(deps).filter(([name, spec]) => name !== "oauth-edge" && testsLock[`node_modules/${name}`]?.version !== spec);
    if (loose.length) {
      say(`FAILED: ${file} installs ${loose.map(([n, s]) => `${n}@${s}`).join(", ")} without a committed package-lock.json (and tests/package-lock.json does not lock that exact version)`);
      bad = 1;
    } else {
      say(`${file}: no lockfile (an example template); ${(() => { const other = Object.keys(deps).filter((n) => n !== "oauth-edge").map((n) => `${n}@${deps[n]}`); return other.length ? `installs oauth-edge and ${other.join(", ")}, the versions tests/package-lock.json locks` : "installs oauth-edge only"; })()}`);
    }
  }
  process.exit(bad);
' 3>"$lockdirs_file" || fail "package.json checks"
mapfile -t lockdirs <"$lockdirs_file"

# What `npm audit` answered, in one line; exit 1 on vulnerabilities, 2 when it could not ask.
audit_summary() { # dir npm-audit-args...
  local dir=$1; shift
  (cd "$dir" && npm audit --json "$@" 2>/dev/null) | node -e '
    let s = ""; process.stdin.on("data", (d) => (s += d)).on("end", () => {
      let r; try { r = JSON.parse(s); } catch { console.log("no answer from npm audit"); process.exit(2); }
      const v = r.metadata?.vulnerabilities;
      if (!v) { console.log(`the registry refused the advisory request: ${r.message ?? r.error?.summary ?? "an error"}`); process.exit(2); }
      const found = Object.entries(v).filter(([k, n]) => k !== "total" && n > 0).map(([k, n]) => `${n} ${k}`);
      console.log(v.total ? `${v.total} vulnerabilities (${found.join(", ")}): ${Object.keys(r.vulnerabilities).join(", ")}` : "0 vulnerabilities");
      process.exit(v.total ? 1 : 0);
    });'
}
for dir in "${lockdirs[@]}"; do
  if ! (cd "$dir" && npm ls --package-lock-only --all >/dev/null 2>&1); then
    fail "$dir/package-lock.json is out of sync with $dir/package.json (npm ls --package-lock-only: $(cd "$dir" && npm ls --package-lock-only --all 2>&1 | grep -m1 'invalid\|missing'))"
    continue
  fi
  # Runtime packages: lockfile entries installed from the registry and not dev-only.
  runtime=$(node -e 'const p = require(require("path").resolve(process.argv[1], "package-lock.json")).packages;
    console.log(Object.entries(p).filter(([k, e]) => k.startsWith("node_modules/") && !e.dev && !e.link).length)' "$dir")
  out=$(audit_summary "$dir" --omit=dev); rc=$?
  case $rc in
    0) if [ "$runtime" = 0 ]; then log "$dir: npm audit --omit=dev: clean, no runtime package to audit (dev tooling only); lockfile in sync"
       else log "$dir: npm audit --omit=dev: $out ($runtime runtime packages); lockfile in sync"; fi ;;
    1) fail "$dir: npm audit --omit=dev: $out" ;;
    *) if [ "$runtime" = 0 ]; then log "$dir: npm audit --omit=dev: nothing to audit (0 runtime packages); lockfile in sync"
       else not_checked "npm audit --omit=dev in $dir ($runtime runtime packages)" "$out"; fi ;;
  esac
  # For information, never a failure: the dev tooling (build, test and bench tools).
  dev=$(audit_summary "$dir"); rc=$?
  case $rc in
    0|1) log "$dir: npm audit, dev tooling included (for information): $dev" ;;
    *) log "$dir: npm audit, dev tooling included (for information): NOT CHECKED, $dev"
       [ -z "${OAUTH_EDGE_NOTICES:-}" ] || printf 'supply chain: npm audit of the dev tooling in %s/ not checked: %s\n' "$dir" "$dev" >>"$OAUTH_EDGE_NOTICES" ;;
  esac
done

[ $failed -eq 0 ] && log "ok" || log "failed"
exit $failed
