#!/usr/bin/env bash
# Set up Caseworker and run its whole test suite (GUI tests run offscreen by themselves).
set -euo pipefail
cd "$(dirname "$0")/.."
./scripts/setup.sh
exec .venv/bin/python -m pytest "$@"
