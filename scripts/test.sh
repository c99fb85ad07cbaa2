#!/usr/bin/env bash
# Runs every test: formatting, lints, the shared domain's unit and property tests,
# the API tests on SQLite and on PostgreSQL, and the end-to-end tests against the
# real `scr` binary. Installs and starts what it needs.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"

scripts/ensure-postgres.sh

echo "== format"
cargo fmt --all -- --check

echo "== lints"
cargo clippy --workspace --all-targets -- -D warnings

echo "== build the scr binary for the end-to-end tests"
cargo build -p backend --bin scr

echo "== tests (SQLite and PostgreSQL)"
cargo test --workspace --all-targets
