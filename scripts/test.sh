#!/usr/bin/env bash
# Sets up (pnpm, dependencies, build) and runs every test; ends with "N passed, N failed".
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source scripts/setup.sh
node scripts/run-tests.mjs "$@"
