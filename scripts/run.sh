#!/usr/bin/env bash
# Runs the product: builds `scr`, loads the demo data into the SQLite file scr.db
# (created when missing), builds the browser client when it is missing or stale,
# and serves both on http://127.0.0.1:8080.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$HOME/.cargo/bin:$PATH"
if ! command -v cargo >/dev/null 2>&1; then
  echo "Rust is needed: install it from your package manager or with rustup, then run this again." >&2
  exit 1
fi

scripts/build-client.sh --if-stale
cargo build --release -p backend --bin scr
scr=target/release/scr
export DATABASE_URL="${DATABASE_URL:-sqlite://scr.db?mode=rwc}"
export SCR_BIND="${SCR_BIND:-127.0.0.1:8080}"
"$scr" seed-demo

cat <<INFO

Serious Case Review system
  Open http://$SCR_BIND/ in a browser
  API (POST, GraphQL; schema in schema.graphql): http://$SCR_BIND/graphql
  Database: $DATABASE_URL

Demo logins (password for all: scr-demo-password):
INFO
"$scr" demo-logins
echo
if [ -n "${SCR_JWT_SECRET:-}" ]; then
  exec "$scr" serve
else
  exec "$scr" serve --dev
fi
