#!/usr/bin/env bash
# Sets up (pnpm, dependencies, build), then runs motley's main job on this machine: a nano-exporter
# on 127.0.0.1:9100 and the server on 127.0.0.1:8428, storing in ./data and scraping itself and
# the nano-exporter with its built-in default configuration. Ctrl-C stops both.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/setup.sh

nano_pid=""
cleanup() { [ -n "$nano_pid" ] && kill "$nano_pid" 2>/dev/null || true; }
trap cleanup EXIT INT TERM

node packages/nano-exporter/dist/main.js --web.listen-address=127.0.0.1:9100 &
nano_pid=$!
echo "start: nano-exporter on http://127.0.0.1:9100/metrics, server on http://127.0.0.1:8428"
node apps/server/dist/main.js --storage.path=./data --web.listen-address=127.0.0.1:8428 "$@"
