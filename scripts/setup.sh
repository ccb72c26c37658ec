#!/usr/bin/env bash
# Makes a checkout runnable: Node 22, dependencies (native addons built for that Node),
# both Prisma clients, and — unless --no-db — a migrated database at DATABASE_URL.
# Idempotent and quick when nothing changed.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/node22.sh

stamp=node_modules/.convot-install-stamp
want="$(node --version) $(sha256sum package-lock.json | cut -c1-16)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  echo "› Installing dependencies for Node $(node --version) (native addons build from source: about a minute)…"
  npm_config_nodedir="${CONVOT_NODEDIR:-}" npm ci --no-audit --no-fund --loglevel=error
  echo "$want" > "$stamp"
fi

echo "› Generating the Prisma clients (SQLite and PostgreSQL)…"
npx tsx scripts/db.ts generate >/dev/null

if [ "${1:-}" != "--no-db" ]; then
  npx tsx scripts/make-env.ts
  set -a; . ./.env; set +a
  echo "› Applying migrations to ${DATABASE_URL%%\?*}…"
  npx tsx scripts/db.ts deploy | grep -E "applied|No pending|Error" || true
fi
