#!/usr/bin/env bash
# Installs everything oauth-edge needs to build and test, on a fresh Debian machine with
# rustup and Node 20, from the package registries only (apt, crates.io, npm, PyPI).
# Idempotent: every step checks first, so a second run takes seconds.
#   scripts/setup.sh            # everything (browsers included)
#   OAUTH_EDGE_NO_BROWSERS=1 scripts/setup.sh   # skip Chromium/Firefox (demo only)
set -euo pipefail
cd "$(dirname "$0")/.."
log() { printf '[setup] %s\n' "$*"; }
export PATH="$HOME/.cargo/bin:$PATH" DEBIAN_FRONTEND=noninteractive
SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo

# --- Rust: the toolchain pinned in rust-toolchain.toml, plus the wasm32 target ---------------
TOOLCHAIN=$(sed -n 's/^channel *= *"\(.*\)"/\1/p' rust-toolchain.toml)
rustup toolchain list | grep -q "^$TOOLCHAIN" || rustup toolchain install "$TOOLCHAIN" --profile minimal
for c in rustfmt clippy rust-src; do
  rustup component list --toolchain "$TOOLCHAIN" --installed | grep -q "^$c" ||
    rustup component add "$c" --toolchain "$TOOLCHAIN"
done
rustup target list --toolchain "$TOOLCHAIN" --installed | grep -qx wasm32-unknown-unknown ||
  rustup target add wasm32-unknown-unknown --toolchain "$TOOLCHAIN"

# --- Debian packages: browsers and their drivers (wasm-bindgen-test, Playwright) ------------
apt_missing=()
want_apt=()
[ -n "${OAUTH_EDGE_NO_BROWSERS:-}" ] || want_apt+=(chromium chromium-driver firefox-esr)
for p in "${want_apt[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || apt_missing+=("$p")
done
if [ ${#apt_missing[@]} -gt 0 ]; then
  log "apt-get install ${apt_missing[*]}"
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${apt_missing[@]}" >/dev/null
fi

# --- cargo-installed host tools; wasm-bindgen-cli must equal the crate in Cargo.lock --------
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/version = |"/,""); print; exit}' Cargo.lock)
cargo_install() { # crate version binary [--locked]
  # The whole output is read first: `| head -1` can SIGPIPE a tool that prints more lines
  # (geckodriver), which pipefail then takes for "not installed".
  local have; have=$("$HOME/.cargo/bin/$3" --version 2>/dev/null) || have=""
  if grep -qwF -- "$2" <<<"${have%%$'\n'*}"; then return 0; fi
  log "cargo install $1 $2 (a few minutes, once)"
  # wasm-bindgen-cli 0.2.130's own lockfile pins a crate version the registry does not
  # serve, so it is installed without --locked (cargo then resolves a served version).
  cargo +"$TOOLCHAIN" install "$1" --version "$2" ${4:-} --quiet
}
cargo_install wasm-bindgen-cli "$WASM_BINDGEN_VERSION" wasm-bindgen
[ -n "${OAUTH_EDGE_NO_BROWSERS:-}" ] || cargo_install geckodriver 0.37.1 geckodriver --locked
# wasm-pack runs the wasm tests (scripts/test.sh); it takes the wasm-bindgen above (same version
# as Cargo.lock, found on PATH) and the drivers passed to it, so it downloads nothing at run time.
[ -n "${OAUTH_EDGE_NO_BROWSERS:-}" ] || cargo_install wasm-pack 0.15.1 wasm-pack --locked
# cargo-fuzz (libFuzzer) runs the fuzz targets of fuzz/ (scripts/fuzz.sh, the smoke of
# scripts/test.sh, `make fuzz`) on the pinned compiler with RUSTC_BOOTSTRAP=1 (≈ 40 s to install).
cargo_install cargo-fuzz 0.13.2 cargo-fuzz --locked
# cargo-deny checks the crates' licenses, duplicates, sources and (where the RustSec database can be
# fetched) advisories against deny.toml (scripts/supply-chain.sh; ≈ 4 min to install, once).
cargo_install cargo-deny 0.20.2 cargo-deny --locked

# --- the crates of Cargo.lock for every platform (wasi, windows, …): `wasm-pack test` begins
# with a `cargo metadata` that needs them all; fetched here, the test runs download nothing ----
cargo +"$TOOLCHAIN" fetch --quiet

# --- npm tools (wasm-opt from binaryen, deno, workerd, playwright-core, peers for the bench) --
# `npm ci`: exactly tests/package-lock.json, which it never rewrites (it fails when the lockfile
# and package.json disagree).
if ! (cd tests && npm ls --depth=0 >/dev/null 2>&1); then
  log "npm ci (tests/)"
  (cd tests && npm ci --no-audit --no-fund --loglevel=error)
fi

# --- Python: oauthlib, the independent implementation that produced tests/vectors ----------
if ! .tools/venv/bin/python -c 'import oauthlib' 2>/dev/null; then
  log "python venv with oauthlib"
  python3 -m venv .tools/venv
  .tools/venv/bin/pip install -q --disable-pip-version-check oauthlib==3.2.2
fi
log "ready: $(rustc +"$TOOLCHAIN" --version), wasm-bindgen $WASM_BINDGEN_VERSION, node $(node --version)"
