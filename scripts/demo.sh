#!/usr/bin/env bash
# `npm run demo`: from a fresh clone to a running app on http://localhost:3000, no Shopify needed.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh
. scripts/node22.sh
set -a; . ./.env; set +a
echo "› Building…"
npx tsx scripts/build-widget.ts
npx remix build >/dev/null 2>&1 || npx remix build
echo "› Seeding the demo Convot app and the demo shop…"
npx tsx scripts/seed-demo.ts
echo "› Starting on http://localhost:${PORT:-3000} (Ctrl-C stops it)"
exec node server.js
