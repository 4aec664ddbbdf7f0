#!/usr/bin/env bash
# Set up everything Slipstream needs in this checkout: a Python 3.11 venv (.venv) with the
# package and its dev tools, the Node tooling (buf, grpc-js) from package-lock.json, and Debian's
# chromium, in which the report's browser test draws the charts. Idempotent and quick when
# nothing changed.
set -euo pipefail
cd "$(dirname "$0")/.."

python_bin="${PYTHON:-}"
if [ -z "$python_bin" ]; then
  for candidate in python3.11 python3; do
    if command -v "$candidate" >/dev/null && "$candidate" -c 'import sys; sys.exit(sys.version_info[:2] != (3, 11))'; then
      python_bin="$candidate"; break
    fi
  done
fi
[ -n "$python_bin" ] || { echo "setup: Python 3.11 is required (set PYTHON=/path/to/python3.11)" >&2; exit 1; }
command -v node >/dev/null || { echo "setup: Node.js 20 is required" >&2; exit 1; }
command -v npm >/dev/null || { echo "setup: npm is required" >&2; exit 1; }

stamp() { sha256sum "$@" | sha256sum | cut -d' ' -f1; }

if [ ! -x .venv/bin/python ]; then
  echo "setup: creating .venv with $python_bin"
  "$python_bin" -m venv .venv
fi
want="$(stamp pyproject.toml)"
if [ "$(cat .venv/.slipstream-stamp 2>/dev/null)" != "$want" ]; then
  echo "setup: installing Python packages (pip install -e '.[dev]')"
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -e '.[dev]'
  echo "$want" > .venv/.slipstream-stamp
fi

want="$(stamp package.json package-lock.json)"
if [ "$(cat node_modules/.slipstream-stamp 2>/dev/null)" != "$want" ]; then
  echo "setup: installing Node packages (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error
  echo "$want" > node_modules/.slipstream-stamp
fi

# The report's browser test opens the HTML in headless Chromium. CI and the dev machines run this
# as root on Debian; anyone else is told the command, and only that test fails without it.
if [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" -eq 0 ]; then
    echo "setup: installing chromium (apt-get)"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null
  else
    echo "setup: /usr/bin/chromium is missing; the report test needs it: sudo apt-get install -y chromium" >&2
  fi
fi
