#!/usr/bin/env bash
# Builds the browser client into dist/: the WebAssembly module (wasm32, Leptos),
# its JavaScript bindings (wasm-bindgen, the same version as the crate), wasm-opt,
# the GOV.UK Frontend styles without the GOV.UK fonts, content-hashed file names and
# gzip/brotli copies. Installs what it needs. Usage: scripts/build-client.sh [--if-stale]
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
export PATH="$HOME/.cargo/bin:$PATH"
dist="$root/dist"
stamp="$dist/.built"

if [ "${1:-}" = "--if-stale" ] && [ -f "$stamp" ] && [ -f "$dist/index.html" ]; then
  if [ -z "$(find frontend/src frontend/graphql frontend/static frontend/Cargo.toml shared/src schema.graphql Cargo.lock scripts/build-client.sh -newer "$stamp" -print -quit)" ]; then
    echo "client is up to date"
    exit 0
  fi
fi

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }
apt_install() {
  if [ -z "${apt_updated:-}" ]; then as_root apt-get -o DPkg::Lock::Timeout=600 update -qq; apt_updated=1; fi
  DEBIAN_FRONTEND=noninteractive as_root apt-get -o DPkg::Lock::Timeout=600 install -y -qq "$@" >/dev/null
}

# The sources this build starts from: anything changed while it runs stays newer
# than the stamp, so the next --if-stale build picks it up.
started=$(mktemp)

profile=wasm-release
target=wasm32-unknown-unknown
wasm_bindgen_version=$(awk '/^name = "wasm-bindgen"$/{getline; gsub(/version = |"/,""); print; exit}' Cargo.lock)

# 1. The WebAssembly module. rustup's target where it is (or can be) installed;
#    otherwise Debian's rustc-web, building std for wasm32 from its source.
#    Leptos's `erase_components` gives every component a type-erased view: one copy of
#    the rendering code instead of one per view type (a sixth off the module).
erase="--cfg erase_components"
# The splitting step (5) needs the linker's relocations to follow each function's uses.
relocs="-Clink-args=--emit-relocs"
if rustup target list --installed 2>/dev/null | grep -q "^$target$" \
   || timeout 30 rustup target add "$target" >/dev/null 2>&1; then
  RUSTFLAGS="$erase $relocs" cargo build -p frontend --lib --profile "$profile" --target "$target" --target-dir target/client
else
  echo "rustup cannot provide $target here: using Debian's rustc-web with build-std"
  if [ ! -x /usr/bin/rustc ] || ! /usr/bin/rustc --version | grep -q . || [ ! -d /usr/lib/rustlib/src/rust ] || ! command -v lld-22 >/dev/null; then
    apt_install rustc-web cargo-web rust-web-src lld-22
  fi
  # Building std here also lets panics abort without their formatting code (smaller module).
  PATH=/usr/bin:$PATH RUSTC=/usr/bin/rustc RUSTC_BOOTSTRAP=1 RUSTFLAGS="-Zunstable-options -Cpanic=immediate-abort $erase $relocs" \
    /usr/bin/cargo build -p frontend --lib \
    --profile "$profile" --target "$target" --target-dir target/client \
    -Z build-std=std,panic_abort
fi
wasm="target/client/$target/$profile/frontend.wasm"

# 2. Bindings, with the CLI that matches the crate exactly.
if ! wasm-bindgen --version 2>/dev/null | grep -q " $wasm_bindgen_version$"; then
  echo "installing wasm-bindgen-cli $wasm_bindgen_version"
  cargo install wasm-bindgen-cli --version "$wasm_bindgen_version"
fi
# 3. Build-time packages: GOV.UK Frontend, axe-core (browser tests), binaryen.
if [ ! -d frontend/node_modules/govuk-frontend ] || [ ! -d frontend/node_modules/binaryen ]; then
  command -v npm >/dev/null || apt_install nodejs npm
  (cd frontend && npm ci --no-audit --no-fund --silent)
fi
command -v brotli >/dev/null || apt_install brotli

# 2b. The splitter (the library cargo-leptos uses, as its command-line tool): cuts the
#     module at each `#[lazy]` page into a main module (the shell, sign-in and home) and
#     one module per page, with shared parts in modules of their own, and writes the
#     loader that fetches them the first time a page is opened.
split_version=0.2.3
if ! wasm-split-cli --help >/dev/null 2>&1 || [ "$(cat "$HOME/.cargo/.wasm-split-cli-version" 2>/dev/null)" != "$split_version" ]; then
  echo "installing wasm-split-cli $split_version"
  cargo install --locked wasm_split_cli_support --features build-binary --version "$split_version"
  echo "$split_version" > "$HOME/.cargo/.wasm-split-cli-version"
fi

out=$(mktemp -d)
app="$out/app"
split=$(mktemp -d)
mkdir -p "$app"
wasm-split-cli --target web --out-name frontend "$wasm" "$split"
# The bindings keep the exports the page modules link against.
wasm-bindgen --target web --no-typescript --keep-lld-exports --remove-name-section --remove-producers-section \
  --out-dir "$app" --out-name frontend "$split/frontend.wasm"
rm "$split/frontend.wasm"
cp "$split"/* "$app/"
rm -rf "$split"
# Some two hundred modules: optimised on every core at once, each in its own process.
optimise() {
  frontend/node_modules/.bin/wasm-opt -Oz --enable-bulk-memory --enable-nontrapping-float-to-int \
    --enable-sign-ext --enable-mutable-globals --enable-reference-types \
    "$1" -o "$1.opt" 2>/dev/null && mv "$1.opt" "$1"
}
export -f optimise
find "$app" -name '*.wasm' -print0 | xargs -0 -n 1 -P "$(nproc)" bash -c 'optimise "$0"'
if ls "$app"/*.opt >/dev/null 2>&1; then
  echo "wasm-opt failed on a module" >&2
  exit 1
fi

# 4. Styles: GOV.UK Frontend without its fonts (those are for GOV.UK only), then ours.
python3 - "$out/app.css" <<'PY'
import re, sys
css = open("frontend/node_modules/govuk-frontend/dist/govuk/govuk-frontend.min.css").read()
css = re.sub(r"@font-face\{[^}]*\}", "", css)
css = css.replace('"GDS Transport",arial,sans-serif', "arial,sans-serif")
css = re.sub(r"/\*# sourceMappingURL=[^*]*\*/", "", css)
open(sys.argv[1], "w").write(css + "\n" + open("frontend/static/app.css").read())
PY

# 5. Content-hashed names, index.html pointing at them, compressed copies.
hash() { sha256sum "$1" | cut -c1-16; }
rm -rf "$dist.new" && mkdir -p "$dist.new/assets"
# The main module, its bindings, the loader and the page modules find each other by
# their plain names: they go together into one folder named by the hash of them all.
h_app=$(cd "$app" && find . -type f | LC_ALL=C sort | xargs sha256sum | sha256sum | cut -c1-16)
cp -r "$app" "$dist.new/assets/client-$h_app"
h_css=$(hash "$out/app.css"); cp "$out/app.css" "$dist.new/assets/app-$h_css.css"
sed -e "s|@JS@|/assets/client-$h_app/frontend.js|" -e "s|@WASM@|/assets/client-$h_app/frontend_bg.wasm|" frontend/static/boot.js > "$out/boot.js"
h_boot=$(hash "$out/boot.js"); cp "$out/boot.js" "$dist.new/assets/boot-$h_boot.js"
h_icon=$(hash frontend/static/favicon.svg); cp frontend/static/favicon.svg "$dist.new/assets/favicon-$h_icon.svg"
sed -e "s|@CSS@|/assets/app-$h_css.css|" -e "s|@BOOT@|/assets/boot-$h_boot.js|" -e "s|@ICON@|/assets/favicon-$h_icon.svg|" frontend/static/index.html > "$dist.new/index.html"
for f in $(find "$dist.new/assets" -type f) "$dist.new/index.html"; do
  gzip -9 -k -n "$f"
  brotli -q 11 -k "$f"
done
rm -rf "$dist" && mv "$dist.new" "$dist"
mv "$started" "$stamp"
rm -rf "$out"
echo "client built into dist/ (bytes, brotli):"
find "$dist/assets" -type f -name "*.br" -printf "  %s\t%P\n" | sort -k2
