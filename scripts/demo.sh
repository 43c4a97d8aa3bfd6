#!/usr/bin/env bash
# Install walkrx and start the web app with a demo walker on embedded SQLite.
# Data lives in $WALKRX_HOME (default: ./var/demo). Port: $PORT (default 8000).
#
# The demo runs with production settings (DEBUG off, a generated strong secret,
# throttled sign-in, CSP ...) on http://127.0.0.1 only: WALKRX_LOCAL_HTTP=1 keeps
# plain http usable there (no HTTPS redirect, no HSTS, cookies without the Secure
# flag) and is refused for any host name other than 127.0.0.1/localhost.
# `walkrx serve` starts the import worker beside the web server.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
umask 077
export WALKRX_HOME=${WALKRX_HOME:-$PWD/var/demo}
mkdir -p "$WALKRX_HOME"
chmod 700 "$WALKRX_HOME"
secret_file="$WALKRX_HOME/secret_key"
if [ ! -s "$secret_file" ]; then
  .venv/bin/python -c 'import secrets; print(secrets.token_urlsafe(50))' > "$secret_file"
fi
export WALKRX_ENV=production
export WALKRX_SECRET_KEY=$(cat "$secret_file")
export WALKRX_ALLOWED_HOSTS=127.0.0.1,localhost
export WALKRX_LOCAL_HTTP=1
exec .venv/bin/walkrx serve --demo --host 127.0.0.1 --port "${PORT:-8000}"
