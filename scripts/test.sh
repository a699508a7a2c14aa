#!/usr/bin/env bash
# Sets up and runs every test: the engine natively, components and storage in headless
# Chromium (wasm-bindgen-test), and end-to-end flows on the built dist/ (Playwright).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export CHROMEDRIVER=/usr/bin/chromedriver

passed=0; failed=0
step() {
  local name=$1; shift
  printf '\n\033[1m==> %s\033[0m\n' "$name"
  if "$@"; then passed=$((passed + 1)); else failed=$((failed + 1)); echo "FAILED: $name"; fi
}

step "engine (native)" cargo test --locked
# A guard against a hung browser, not a timing: the 100,000-client storage test takes longer
# than the runner's default 20 s on a busy machine in a debug build.
export WASM_BINDGEN_TEST_TIMEOUT=${WASM_BINDGEN_TEST_TIMEOUT:-300}
step "browser (wasm-bindgen-test in Chromium)" cargo test --locked --target wasm32-unknown-unknown --test browser
step "release build" trunk build --release
step "end to end (Playwright on dist/)" npx playwright test

echo
echo "suites: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
