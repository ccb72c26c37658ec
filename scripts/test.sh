#!/usr/bin/env bash
# `npm test`: from a fresh clone, installs what the suite needs and runs it on SQLite,
# then on PostgreSQL when one is reachable (always in CI).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --no-db
. scripts/node22.sh

echo "› Type-checking…"
npx tsc --noEmit
echo "› Linting (ESLint, Prettier)…"
npx eslint .
npx prettier --check . --log-level warn
echo "› Building the widget and the app…"
npx tsx scripts/build-widget.ts
npx remix build >/dev/null

# Browser tests drive Debian's Chromium (playwright-core cannot download one here).
skip_browser=()
if [ ! -x "${CHROMIUM_PATH:-/usr/bin/chromium}" ]; then
  if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
    echo "› Installing Chromium for the browser tests (apt-get)…"
    (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium) >/dev/null
  elif [ "${CI:-}" = "true" ]; then
    echo "✗ CI needs Chromium at /usr/bin/chromium" >&2
    exit 1
  else
    echo "› No Chromium (install Debian's chromium package): skipping the browser tests."
    skip_browser=(--exclude "test/**/*.browser.test.ts")
  fi
fi

echo "› Test suite on SQLite"
TEST_DATABASE=sqlite npx vitest run "${skip_browser[@]}" "$@"

pg_url="${TEST_POSTGRES_URL:-postgresql://postgres@127.0.0.1:5432/test}"
if node -e "const c=new (require('pg').Client)({connectionString:process.argv[1]});c.connect().then(()=>c.end()).catch(()=>process.exit(1))" "$pg_url" 2>/dev/null; then
  echo "› Test suite on PostgreSQL ($pg_url)"
  TEST_DATABASE=postgresql TEST_POSTGRES_URL="$pg_url" npx vitest run "${skip_browser[@]}" "$@"
elif [ "${CI:-}" = "true" ]; then
  echo "✗ CI must test PostgreSQL too, but none answers at $pg_url" >&2
  exit 1
else
  echo "› PostgreSQL not reachable at $pg_url: skipped the PostgreSQL pass (CI runs it)."
fi
