#!/usr/bin/env bash
# Installs what building motley needs on a machine that has Node >= 20.19 and npm: pnpm (the
# version package.json pins, into .tools/ unless it is already on PATH), the dependencies from
# the lockfile, then builds every package with turbo. Sourced by start.sh and test.sh.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

want=$(node -p "require('./package.json').packageManager.split('@')[1]")
node -e 'const [a,b]=process.versions.node.split(".").map(Number); if (a<20||(a===20&&b<19)) { console.error("motley needs Node >= 20.19, this is "+process.version); process.exit(1) }'

if [ "$(pnpm --version 2>/dev/null || true)" != "$want" ]; then
  if [ ! -x .tools/node_modules/.bin/pnpm ] || [ "$(.tools/node_modules/.bin/pnpm --version)" != "$want" ]; then
    echo "setup: installing pnpm $want into .tools/"
    npm install --prefix .tools --no-save --no-audit --no-fund "pnpm@$want" >/dev/null
  fi
  export PATH="$PWD/.tools/node_modules/.bin:$PATH"
fi

# Native addons (better-sqlite3) build from source when no prebuilt binary can be downloaded;
# point node-gyp at the local Node headers when the system has them instead of downloading.
if [ -d /usr/include/node ] && [ -z "${npm_config_nodedir:-}" ]; then
  export npm_config_nodedir=/usr
fi
export TURBO_TELEMETRY_DISABLED=1

echo "setup: installing dependencies (a source build of better-sqlite3 takes a minute or two)"
mkdir -p .tools
if ! pnpm install --frozen-lockfile --reporter=append-only > .tools/install.log 2>&1; then
  tail -n 40 .tools/install.log >&2
  echo "setup: pnpm install failed; the whole log is in .tools/install.log" >&2
  exit 1
fi
echo "setup: building"
pnpm turbo run build --output-logs=errors-only
