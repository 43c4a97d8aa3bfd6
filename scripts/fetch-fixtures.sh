#!/usr/bin/env bash
# Download the real test recordings from their upstream sources into the cache folder
# (WALKRX_FIXTURES_CACHE, else ~/.cache/walkrx-fixtures), verifying each file's SHA-256 with
# pooch; converted files are rebuilt from their upstream file and hash-checked. Test tooling
# only: walkrx itself never downloads anything. Options: see scripts/fetch_fixtures.py --help.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .venv/bin/python ] || bash scripts/install.sh
exec .venv/bin/python scripts/fetch_fixtures.py "$@"
