#!/usr/bin/env bash
# Sets up, builds Cartera for release and serves it on 127.0.0.1 (PORT, default 8080).
# On a first visit the app opens on its demo portfolio.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
export PATH="$PWD/node_modules/.bin:$HOME/.cargo/bin:$PATH"
trunk build --release
PORT="${PORT:-8080}"
printf '\n\033[1mCartera is at http://127.0.0.1:%s/\033[0m  (Ctrl+C to stop)\n\n' "$PORT"
exec python3 -m http.server "$PORT" --bind 127.0.0.1 --directory dist
