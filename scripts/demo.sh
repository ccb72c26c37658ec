#!/usr/bin/env bash
# `npm run demo`: from a fresh clone to a running app on http://localhost:$PORT (3000 unless
# the environment or .env says otherwise), no Shopify needed.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/node22.sh
. scripts/lib/env.sh
load_dotenv .env
export PORT="${PORT:-3000}"
require_free_port "$PORT"
bash scripts/setup.sh
load_dotenv .env # setup.sh may just have written it
follow_port_in_app_url
step "Building" sh -c 'npx tsx scripts/build-widget.ts && { npx remix build >/dev/null 2>&1 || npx remix build; }'
step "Seeding the demo Convot app and the demo shop" npx tsx scripts/seed-demo.ts
echo "› Starting on http://localhost:${PORT} (Ctrl-C stops it)"
exec node server/index.ts
