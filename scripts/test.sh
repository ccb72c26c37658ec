#!/usr/bin/env bash
# `npm test`: from a fresh clone, installs what the suite needs and runs it on SQLite,
# then on PostgreSQL when one is reachable (always in CI).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --no-db
. scripts/node22.sh

echo "› Type-checking…"
npx tsc --noEmit
echo "› Building the widget and the app…"
npx tsx scripts/build-widget.ts
npx remix build >/dev/null

echo "› Test suite on SQLite"
TEST_DATABASE=sqlite npx vitest run "$@"

pg_url="${TEST_POSTGRES_URL:-postgresql://postgres@127.0.0.1:5432/test}"
if node -e "const c=new (require('pg').Client)({connectionString:process.argv[1]});c.connect().then(()=>c.end()).catch(()=>process.exit(1))" "$pg_url" 2>/dev/null; then
  echo "› Test suite on PostgreSQL ($pg_url)"
  TEST_DATABASE=postgresql TEST_POSTGRES_URL="$pg_url" npx vitest run "$@"
elif [ "${CI:-}" = "true" ]; then
  echo "✗ CI must test PostgreSQL too, but none answers at $pg_url" >&2
  exit 1
else
  echo "› PostgreSQL not reachable at $pg_url: skipped the PostgreSQL pass (CI runs it)."
fi
