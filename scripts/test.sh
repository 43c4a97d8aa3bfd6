#!/usr/bin/env bash
# Install everything (Python packages, Debian's postgresql and chromium) and run
# lint, type checks and all tests: the full suite on SQLite, then the database
# tests again on a throwaway PostgreSQL (or on $DATABASE_URL when it is set).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh --test
export WALKRX_HOME=${WALKRX_HOME_TEST:-$(mktemp -d)}
mkdir -p test-artifacts

failed=()
echo "== ruff" >&2
.venv/bin/ruff check src tests scripts || failed+=(ruff)
echo "== mypy --strict (pure packages)" >&2
.venv/bin/mypy || failed+=(mypy)

echo "== test recordings" >&2
# Found in this order: WALKRX_FIXTURES, ../shared/fixtures, the download cache (see
# scripts/fixture_registry.py). Only when none is there (or the cache is incomplete) are the
# recordings downloaded from their upstream sources, each verified by SHA-256.
rc=0; where=$(.venv/bin/python scripts/fixture_registry.py where) || rc=$?
if [ "$rc" = 2 ]; then
  echo "$where" >&2; exit 1  # WALKRX_FIXTURES names something that is not a folder
elif [ "$rc" = 0 ] && { [[ $where != *"download cache"* ]] \
  || .venv/bin/python scripts/fixture_registry.py check 2>/dev/null; }; then
  echo "using the test recordings in $where" >&2
else
  echo "no complete folder of test recordings (no WALKRX_FIXTURES, no ../shared/fixtures): downloading them with scripts/fetch-fixtures.sh" >&2
  bash scripts/fetch-fixtures.sh \
    || echo "some recordings could not be fetched (listed above): the tests that read them will fail naming the file" >&2
fi

pg_url=${DATABASE_URL:-}
unset DATABASE_URL
echo "== pytest (SQLite)" >&2
.venv/bin/pytest -p no:cacheprovider "$@" || failed+=("pytest on SQLite")

pgdir=""
if [ -z "$pg_url" ]; then
  pgdir=$(mktemp -d)
  trap 'bash scripts/pg.sh stop "$pgdir"' EXIT
  pg_url=$(bash scripts/pg.sh start "$pgdir")
fi
echo "== pytest -m db (PostgreSQL)" >&2
DATABASE_URL=$pg_url .venv/bin/pytest -p no:cacheprovider -m db "$@" || failed+=("pytest on PostgreSQL")

if [ ${#failed[@]} -gt 0 ]; then
  echo "FAILED: ${failed[*]}" >&2
  exit 1
fi
echo "all checks passed: ruff, mypy, pytest on SQLite and on PostgreSQL" >&2
