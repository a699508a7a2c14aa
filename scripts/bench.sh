#!/usr/bin/env bash
# Benchmarks (not tests): analysis and import natively, analysis in headless Chromium, and every
# page of the built app with retail logs of 10,000 and 25,000 customers and 100,000 clients × 36
# months (time to paint, DOM size, longest task).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --test
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH" CHROMEDRIVER=/usr/bin/chromedriver
cargo bench --bench analyze
# The analysis of 100,000 clients as the worker hands it back: its bytes, written and read.
cargo bench --bench analyze -- wire
cargo test --release --target wasm32-unknown-unknown --test browser_bench -- --nocapture
[ -f dist/index.html ] || trunk build --release
node scripts/bench-pages.mjs target/bench/retail-10k.csv
node scripts/bench-pages.mjs target/bench/retail-25k.csv
node scripts/bench-pages.mjs target/bench/wide-100k.csv
# The same with time spent on the import's preview (the worker makes the file meanwhile), and
# as where no worker starts (the page does everything), to compare.
PREVIEW_MS=8000 node scripts/bench-pages.mjs target/bench/wide-100k.csv
NO_WORKER=1 node scripts/bench-pages.mjs target/bench/wide-100k.csv
node scripts/bench-robustness.mjs
