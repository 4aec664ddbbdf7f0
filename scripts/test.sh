#!/usr/bin/env bash
# Quickstart 2/2: set up, then run every check: buf lint, generated-stub freshness, ruff, mypy, the tests.
# Extra arguments go to pytest, e.g. ./scripts/test.sh -k federation
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
echo "== buf lint"
node_modules/.bin/buf lint
echo "== generated/ is fresh"
.venv/bin/python scripts/generate_stubs.py --check
echo "== ruff and mypy"
.venv/bin/ruff check slipstream tests bench scripts
.venv/bin/mypy
echo "== pytest"
exec .venv/bin/python -m pytest "$@"
