#!/usr/bin/env bash
# Install walkrx and start the web app with a demo walker on embedded SQLite.
# Data lives in $WALKRX_HOME (default: ./var/demo). Port: $PORT (default 8000).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh
export WALKRX_HOME=${WALKRX_HOME:-$PWD/var/demo}
exec .venv/bin/walkrx serve --demo --port "${PORT:-8000}"
