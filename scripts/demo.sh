#!/usr/bin/env bash
# Quickstart 1/2: set up, then run `slipstream demo` (a year of the whole federation, simulated).
# Extra arguments go to the demo, e.g. ./scripts/demo.sh --days 120
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
exec .venv/bin/slipstream demo "$@"
