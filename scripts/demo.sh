#!/usr/bin/env bash
# Quickstart 1/2: set up, then run `slipstream demo` (federation + three example pods).
# Extra arguments go to the demo, e.g. ./scripts/demo.sh --duration 60
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
exec .venv/bin/slipstream demo "$@"
