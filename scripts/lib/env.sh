# Shell helpers shared by setup.sh and demo.sh: .env loading, the port check, timed steps.

# Exports the variables of a .env file ($1, default ./.env); a variable already in the
# environment wins, as it does for Node's loadEnvFile (scripts/lib/load-env.ts), so
# `PORT=3100 npm run demo` runs on 3100 whatever .env says.
load_dotenv() {
  local file="${1:-.env}" saved
  [ -f "$file" ] || return 0
  saved="$(export -p | sed 's/^declare -x /declare -gx /')"
  set -a
  # shellcheck disable=SC1090
  . "$file"
  set +a
  eval "$saved"
}

# Demo mode serves the widget's panel from SHOPIFY_APP_URL: a local app URL follows PORT.
# A public URL (a tunnel) is left alone.
follow_port_in_app_url() {
  case "${SHOPIFY_APP_URL:-}" in
    "" | http://localhost* | http://127.0.0.1*) export SHOPIFY_APP_URL="http://localhost:${PORT:-3000}" ;;
  esac
}

# Fails in one line, before any slow work, when something already listens on the port.
require_free_port() {
  local port="${1:-3000}"
  if ! node -e '
    const server = require("node:net").createServer();
    server.once("error", () => process.exit(1));
    server.listen(Number(process.argv[1]), () => server.close(() => process.exit(0)));
  ' "$port"; then
    echo "✗ Port $port is in use (another \`npm run demo\`?). Stop it, or run on another port: PORT=3100 npm run demo" >&2
    return 1
  fi
}

# `step "Building" cmd args…`: prints the step, runs it, and says how long it really took.
step() {
  local label="$1" started=$SECONDS
  shift
  echo "› ${label}…"
  "$@"
  echo "  done in $((SECONDS - started)) s"
}
