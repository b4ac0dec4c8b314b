#!/usr/bin/env bash
# Set up Caseworker (the first time, or when its dependencies or source changed; no test tools)
# and start it. Without a display it says how to run it offscreen or under Xvfb.
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh ""
exec .venv/bin/caseworker "$@"
