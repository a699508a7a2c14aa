#!/usr/bin/env bash
# Benchmarks (not tests): a full re-analysis natively and in headless Chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH" CHROMEDRIVER=/usr/bin/chromedriver
cargo bench --bench analyze
cargo test --release --target wasm32-unknown-unknown --test browser_bench -- --nocapture
