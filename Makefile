# The two commands of the README, plus the pieces they are made of.
.PHONY: demo test bench build setup fuzz

demo:            ## install what is missing, build, run the demo against the local simulator
	OAUTH_EDGE_NO_BROWSERS=1 bash scripts/setup.sh
	bash scripts/build.sh
	cd examples-js && npm ci --no-audit --no-fund --loglevel=error && node demo.mjs

test:            ## install what is missing, then run every test
	bash scripts/test.sh

bench:           ## signing, session, parsing and cold-start benchmarks vs named peers; updates docs/bench-results.md, README tables
	bash scripts/setup.sh
	bash scripts/build.sh
	node scripts/bench.mjs

build:
	bash scripts/build.sh

setup:
	bash scripts/setup.sh

FUZZ_SECONDS ?= 600
fuzz:            ## every cargo-fuzz target of fuzz/ for FUZZ_SECONDS each (default 10 min), fails on any crash
	OAUTH_EDGE_NO_BROWSERS=1 bash scripts/setup.sh
	FUZZ_SECONDS=$(FUZZ_SECONDS) bash scripts/fuzz.sh
