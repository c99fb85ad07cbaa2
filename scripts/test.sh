#!/usr/bin/env bash
# Runs every test: formatting, lints, the shared domain's unit and property tests,
# the API tests on SQLite and on PostgreSQL, and the end-to-end tests against the
# real `scr` binary, in headless Chromium for the browser client. Installs and
# starts what it needs.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

scripts/ensure-postgres.sh

echo "== browser for the end-to-end tests"
if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then
  if [ "$(id -u)" -eq 0 ]; then apt-get -o DPkg::Lock::Timeout=600 update -qq; DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq chromium chromium-driver >/dev/null
  else sudo apt-get -o DPkg::Lock::Timeout=600 update -qq; sudo DEBIAN_FRONTEND=noninteractive apt-get -o DPkg::Lock::Timeout=600 install -y -qq chromium chromium-driver >/dev/null; fi
fi

echo "== browser client"
scripts/build-client.sh --if-stale

echo "== format"
cargo fmt --all -- --check

echo "== lints"
cargo clippy --workspace --all-targets -- -D warnings

echo "== build every test and the scr binary the end-to-end tests run"
# One build with the features the whole workspace's tests unify to: the binary built
# here is the one the tests start, and nothing is compiled twice.
cargo test --workspace --all-targets --no-run

echo "== tests (SQLite and PostgreSQL)"
cargo test --workspace --all-targets
