#!/usr/bin/env bash
# Set up Caseworker and run its whole test suite (GUI tests run offscreen by themselves; the
# frozen desktop build is built and checked too).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh test,packaging
exec .venv/bin/python -m pytest "$@"
