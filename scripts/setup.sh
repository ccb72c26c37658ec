#!/usr/bin/env bash
# Makes a checkout runnable: Node 22, dependencies (native addons built for that Node),
# both Prisma clients, and — unless --no-db — a migrated database at DATABASE_URL.
# Idempotent and quick when nothing changed; any failing step stops it with its reason.
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/node22.sh
. scripts/lib/env.sh

stamp=node_modules/.convot-install-stamp
want="$(node --version) $(sha256sum package-lock.json | cut -c1-16)"
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
  step "Installing dependencies for Node $(node --version) (native addons build from source: about a minute)" \
    env npm_config_nodedir="${CONVOT_NODEDIR:-}" npm ci --no-audit --no-fund --loglevel=error
  echo "$want" > "$stamp"
fi

# Prisma's chatter is shown only when generating fails.
step "Generating the Prisma clients (SQLite and PostgreSQL)" sh -c 'out=$(npx tsx scripts/db.ts generate 2>&1) || { echo "$out" >&2; exit 1; }'

if [ "${1:-}" != "--no-db" ]; then
  npx tsx scripts/make-env.ts
  load_dotenv .env
  step "Applying migrations to ${DATABASE_URL%%\?*}" npx tsx scripts/db.ts deploy
fi
