#!/usr/bin/env bash
# `npm run bench`: from a fresh clone, install, build and run the benchmarks (bench/run.ts).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/setup.sh --no-db
. scripts/node22.sh
npx tsx scripts/build-widget.ts
npx remix build >/dev/null
exec npx tsx bench/run.ts "$@"
