#!/usr/bin/env bash
# Installs what building Cartera needs, skipping whatever is already there at the right
# version: the wasm32 target, Trunk, wasm-bindgen-cli (the exact version in Cargo.lock) and,
# through npm, wasm-opt (binaryen) and Playwright. With --test it also installs Debian's
# Chromium and ChromeDriver for the browser tests.
set -euo pipefail
cd "$(dirname "$0")/.."

TRUNK_VERSION=0.22.1
# Trunk 0.22.1 needs a newer rustc than the app does; it is built once with this toolchain.
TRUNK_TOOLCHAIN=1.96.1

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
export PATH="$HOME/.cargo/bin:$PATH"

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "Adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if [ "$(trunk --version 2>/dev/null | awk '{print $2}')" != "$TRUNK_VERSION" ]; then
  say "Installing Trunk $TRUNK_VERSION (once; takes a while)"
  rustup toolchain list | grep -q "^$TRUNK_TOOLCHAIN" || rustup toolchain install "$TRUNK_TOOLCHAIN" --profile minimal
  cargo +"$TRUNK_TOOLCHAIN" install --locked trunk --version "$TRUNK_VERSION"
fi

[ -f Cargo.lock ] || cargo generate-lockfile
WBG_VERSION=$(grep -A1 '^name = "wasm-bindgen"$' Cargo.lock | sed -n 's/^version = "\(.*\)"$/\1/p')
if [ "$(wasm-bindgen --version 2>/dev/null | awk '{print $2}')" != "$WBG_VERSION" ] \
  || [ "$(wasm-bindgen-test-runner --version 2>/dev/null | awk '{print $2}')" != "$WBG_VERSION" ]; then
  say "Installing wasm-bindgen-cli $WBG_VERSION"
  cargo install --locked wasm-bindgen-cli --version "$WBG_VERSION" --force \
    || cargo install wasm-bindgen-cli --version "$WBG_VERSION" --force
fi

need_apt=()
command -v node >/dev/null && command -v npm >/dev/null || need_apt+=(nodejs npm)
command -v python3 >/dev/null || need_apt+=(python3)
if [ "${1:-}" = "--test" ]; then
  [ -x /usr/bin/chromium ] || need_apt+=(chromium)
  [ -x /usr/bin/chromedriver ] || need_apt+=(chromium-driver)
  # pdfinfo and pdftotext check the printed report.
  command -v pdftotext >/dev/null || need_apt+=(poppler-utils)
fi
if [ ${#need_apt[@]} -gt 0 ]; then
  say "Installing Debian packages: ${need_apt[*]}"
  SUDO=""; [ "$(id -u)" -eq 0 ] || SUDO=sudo
  $SUDO apt-get update
  $SUDO env DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${need_apt[@]}"
fi

# npm packages: wasm-opt (binaryen) for the release build, Playwright for the e2e tests.
if [ ! -x node_modules/.bin/wasm-opt ] || [ ! -x node_modules/.bin/playwright ] \
  || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  say "Installing npm packages"
  npm ci --no-audit --no-fund
fi
