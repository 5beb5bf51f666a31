# Installs what the app's commands need, skipping whatever is already there.
# Sourced by scripts/serve and scripts/test; every step is a no-op on a warm machine.

export PATH="$HOME/.cargo/bin:$PATH"
WASM_SPLIT_VERSION=0.2.4   # what Leptos 0.8's wasm_split_helpers 0.2 expects

say() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

ensure_wasm_target() {
  rustup target list --installed | grep -qx wasm32-unknown-unknown && return
  say "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
}

ensure_wasm_split() {
  # It has no --version: cargo's own record of installs says which one is there.
  command -v wasm-split-cli >/dev/null \
    && grep -qs "^\"wasm_split_cli_support $WASM_SPLIT_VERSION " "$HOME/.cargo/.crates.toml" && return
  say "installing wasm-split-cli $WASM_SPLIT_VERSION (a few minutes, once)"
  cargo install wasm_split_cli_support --version "$WASM_SPLIT_VERSION" --features build-binary --locked
}

# wasm-bindgen-cli must match the wasm-bindgen in Cargo.lock exactly (the generated JS and
# the wasm's schema must agree). It installs only without --locked.
ensure_wasm_bindgen() {
  local want
  want=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)
  [ -n "$want" ] || { echo "wasm-bindgen not found in Cargo.lock" >&2; return 1; }
  [ "$(wasm-bindgen --version 2>/dev/null)" = "wasm-bindgen $want" ] && return
  say "installing wasm-bindgen-cli $want (a few minutes, once)"
  cargo install wasm-bindgen-cli --version "=$want"
}

ensure_chromium() {
  command -v chromium >/dev/null && command -v chromedriver >/dev/null && return
  say "installing Debian's chromium and chromium-driver"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq chromium chromium-driver >/dev/null
}

ensure_build_deps() {
  local dir=scripts
  if [ ! -d "$dir/node_modules/esbuild" ] || [ ! -d "$dir/node_modules/binaryen" ] ||
    [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
    say "installing the build's JS minifier and wasm optimiser (npm ci)"
    npm ci --prefix "$dir" --no-audit --no-fund --silent
  fi
}

ensure_e2e_deps() {
  local dir=tests/e2e
  if [ ! -d "$dir/node_modules/playwright-core" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
    say "installing end-to-end test dependencies (npm ci)"
    npm ci --prefix "$dir" --no-audit --no-fund --silent
  fi
}
