#!/usr/bin/env bash
# Runs every cargo-fuzz target of fuzz/ (libFuzzer; fuzz/README.md) for a fixed time each and
# fails on any crash, panic, timeout or out-of-memory. Builds all targets once (cached in
# fuzz/target, so a second run only re-links what changed), minimizes nothing.
#   bash scripts/fuzz.sh                       # FUZZ_SECONDS (default 600) per target: `make fuzz`
#   FUZZ_TOTAL_SECONDS=60 bash scripts/fuzz.sh # that budget split across the targets (the smoke)
#   bash scripts/fuzz.sh session http_date     # only these targets
# Also: FUZZ_JOBS=2 runs two targets at a time; FUZZ_CORPUS=fresh starts from the seeds alone
# (default: the corpus grown by earlier runs, in fuzz/target/corpus/<target>, plus the seeds);
# FUZZ_SANITIZER=address builds with AddressSanitizer (into fuzz/target/address; ~5x fewer
# executions per second). The default is none: the crate forbids unsafe code, and panics,
# integer overflow (debug assertions are on), timeouts, stack and memory exhaustion are caught
# without a sanitizer.
# A crash leaves its input in fuzz/artifacts/<target>/; reproduce it (with its panic message and
# backtrace) by running the target binary on it:
#   fuzz/target/x86_64-unknown-linux-gnu/release/<target> fuzz/artifacts/<target>/<file>
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
log() { printf '[fuzz] %s\n' "$*"; }
command -v cargo-fuzz >/dev/null || { log "cargo-fuzz is missing: run scripts/setup.sh"; exit 1; }

# cargo fuzz wants a nightly compiler (-Zsanitizer and friends); the pinned stable one accepts
# nightly flags with RUSTC_BOOTSTRAP=1 (as scripts/build.sh does for -Zbuild-std).
export RUSTC_BOOTSTRAP=1 CARGO_TERM_COLOR=never
sanitizer=${FUZZ_SANITIZER:-none}
target_dir=fuzz/target; [ "$sanitizer" = none ] || target_dir=fuzz/target/$sanitizer
t0=$SECONDS
cargo fuzz build --sanitizer "$sanitizer" --target-dir "$target_dir" 2>&1 |
  (grep -v '^ *Compiling\|^ *Finished' || true) || { log "build failed"; exit 1; }
log "build ($sanitizer sanitizer): $((SECONDS - t0)) s"

if [ $# -gt 0 ]; then targets=("$@"); else mapfile -t targets < <(cargo fuzz list); fi
if [ -n "${FUZZ_TOTAL_SECONDS:-}" ]; then
  seconds=$(( FUZZ_TOTAL_SECONDS / ${#targets[@]} )); [ "$seconds" -ge 1 ] || seconds=1
else
  seconds=${FUZZ_SECONDS:-600}
fi
bin_dir=$target_dir/x86_64-unknown-linux-gnu/release
logs=$(mktemp -d); trap 'rm -rf "$logs"' EXIT
log "${#targets[@]} targets, ${seconds} s each"

run_one() { # target: runs it, writes $logs/<target>.{log,rc}
  local t=$1 work
  if [ "${FUZZ_CORPUS:-}" = fresh ]; then work="$logs/corpus-$t"; else work="fuzz/target/corpus/$t"; fi
  mkdir -p "$work" "fuzz/artifacts/$t"
  local seeds=(); [ -d "fuzz/corpus/$t" ] && seeds=("fuzz/corpus/$t")
  # The first directory receives new inputs; the committed seeds are only read.
  local rc=0
  "$bin_dir/$t" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="fuzz/artifacts/$t/" "$work" "${seeds[@]}" >"$logs/$t.log" 2>&1 || rc=$?
  echo "$rc" >"$logs/$t.rc"
}

running=0
for t in "${targets[@]}"; do
  [ -x "$bin_dir/$t" ] || { log "no such target: $t"; exit 1; }
  run_one "$t" &
  running=$((running + 1))
  if [ "$running" -ge "${FUZZ_JOBS:-1}" ]; then wait -n || true; running=$((running - 1)); fi
done
wait

failed=()
printf '%-24s %8s %12s %8s %8s %10s  %s\n' target seconds executions cov ft corpus result
for t in "${targets[@]}"; do
  f="$logs/$t.log"; rc=$(cat "$logs/$t.rc")
  last=$(grep -E '^#[0-9]+' "$f" | tail -1 || true)
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$f" | tail -1)
  secs=$(grep -oE 'Done [0-9]+ runs in [0-9]+ second' "$f" | grep -oE '[0-9]+ second' | grep -oE '[0-9]+' || true)
  cov=$(grep -oE 'cov: [0-9]+' <<<"$last" | grep -oE '[0-9]+' || true)
  ft=$(grep -oE 'ft: [0-9]+' <<<"$last" | grep -oE '[0-9]+' || true)
  corp=$(grep -oE 'corp: [0-9]+' <<<"$last" | grep -oE '[0-9]+' || true)
  if [ "$rc" -eq 0 ]; then result=ok; else result="FAILED (exit $rc)"; failed+=("$t"); fi
  printf '%-24s %8s %12s %8s %8s %10s  %s\n' "$t" "${secs:-$seconds}" "${execs:-?}" "${cov:-?}" "${ft:-?}" "${corp:-?}" "$result"
done
for t in "${failed[@]}"; do
  printf '\n--- %s (fuzz/artifacts/%s/):\n' "$t" "$t"
  # The panic message or sanitizer report, the input's location, not the stack frames.
  grep -vE '^#[0-9]+|^INFO:|^stat::|NEW_FUNC|^ +#[0-9]+ 0x|^ +[0-9]+: |^ +at |^(0x[0-9a-f]+,)+$|^MS: |^\\' \
    "$logs/$t.log" | tail -20
done
[ ${#failed[@]} -eq 0 ] || { log "crashes in: ${failed[*]}"; exit 1; }
log "no crash in ${#targets[@]} targets ($((SECONDS - t0)) s in all)"
