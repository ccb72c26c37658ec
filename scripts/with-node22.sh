#!/usr/bin/env bash
# Runs a command under Node 22 (see node22.sh): `bash scripts/with-node22.sh tsx scripts/convot.ts …`.
# npm scripts use it, so `npm run convot` works where the system Node is older.
set -euo pipefail
. "$(dirname "${BASH_SOURCE[0]}")/node22.sh"
exec "$@"
