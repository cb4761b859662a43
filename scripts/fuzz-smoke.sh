#!/usr/bin/env bash
# The fuzz smoke of scripts/test.sh: every cargo-fuzz target of fuzz/ for about 60 s in all
# (FUZZ_SMOKE_SECONDS split evenly), from the committed seeds only, after one cached build.
# Fails on any crash. The long run is `make fuzz` (scripts/fuzz.sh, 10 minutes per target).
set -euo pipefail
cd "$(dirname "$0")/.."
FUZZ_TOTAL_SECONDS=${FUZZ_SMOKE_SECONDS:-60} FUZZ_CORPUS=fresh exec bash scripts/fuzz.sh "$@"
