#!/usr/bin/env bash
# Install everything walkrx needs into ./.venv (idempotent; fast when nothing changed).
#   scripts/install.sh           Python packages for running walkrx
#   scripts/install.sh --test    also Debian's postgresql and chromium, and the npm test tools
set -euo pipefail
cd "$(dirname "$0")/.."
want_test=0
[ "${1:-}" = "--test" ] && want_test=1

log() { printf '[install] %s\n' "$*" >&2; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo "$@"; else
    log "need root (or sudo) to run: $*"; return 1; fi
}

apt_install() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing Debian packages: ${missing[*]}"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

PY=${PYTHON:-python3}
if ! "$PY" -c 'import sys; assert sys.version_info >= (3, 11)' 2>/dev/null; then
  log "walkrx needs Python 3.11 or newer as '$PY'"; exit 1
fi
if ! "$PY" -m venv --help >/dev/null 2>&1 || ! "$PY" -c 'import ensurepip' 2>/dev/null; then
  apt_install python3-venv
fi

if [ "$want_test" = 1 ]; then
  apt_install postgresql chromium fonts-dejavu-core
  if ! command -v npm >/dev/null; then apt_install nodejs npm; fi
  if [ ! -f node_modules/axe-core/axe.min.js ]; then
    log "installing axe-core (accessibility checks) from the npm registry"
    npm install --no-audit --no-fund --silent >/dev/null
  fi
fi

if [ ! -x .venv/bin/python ]; then
  log "creating .venv"
  "$PY" -m venv .venv
fi
stamp=.venv/.walkrx-installed
sum=$(cat pyproject.toml | sha256sum | cut -c1-16)
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$sum" ]; then
  log "installing Python packages (first run takes a few minutes)"
  .venv/bin/python -m pip install -q --upgrade pip >/dev/null
  .venv/bin/python -m pip install -q -e '.[dev]'
  echo "$sum" > "$stamp"
fi
log "ready"
