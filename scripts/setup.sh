#!/usr/bin/env bash
# Set up everything Caseworker needs on a Debian/Ubuntu machine: system packages (when run as
# root or with sudo), a virtual environment in .venv, and Caseworker with the optional parts
# named in the first argument (default: "test"; the test run also takes "packaging"; an empty
# argument "" installs Caseworker alone, as scripts/start.sh does).
#
# Only what changed is done again (scripts/setup_state.py keeps a stamp in .venv): nothing when
# pyproject.toml, the source and the optional parts are as at the last set-up (no pip, no
# network); Caseworker alone, offline, when only the source changed; everything otherwise.
set -euo pipefail
cd "$(dirname "$0")/.."

EXTRAS=${1-test}
PYTHON=${PYTHON:-python3}
NEEDED=$("$PYTHON" scripts/setup_state.py check "$EXTRAS")

if [ "$NEEDED" = none ]; then
  exit 0
fi

if [ "$NEEDED" = package ]; then
  # Only the source changed: the dependencies and the build tools are in .venv already. The
  # previous build's copy goes first, or a module renamed or removed since would be installed
  # again from it (a migration module twice over stops every store from opening).
  rm -rf build
  .venv/bin/python -m pip install -q --no-deps --no-build-isolation --no-index --force-reinstall .
  "$PYTHON" scripts/setup_state.py record "$EXTRAS"
  exit 0
fi

DEBIAN_PACKAGES=(
  age minisign            # reference tools: bundles are checked against them
  poppler-utils           # pdftotext, pdftoppm, pdffonts: reading reports back
  xvfb xauth              # a virtual screen for running the GUI without a display
  libegl1 libgl1 libxkbcommon0 libfontconfig1 libdbus-1-3 libglib2.0-0  # what Qt needs
  libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxcb-image0 libxcb-render-util0  # Qt on X11
  libxcb-shape0 libxcb-xinerama0 libxcb-xkb1 libxcb-randr0 libxkbcommon-x11-0
  libwayland-client0 libwayland-cursor0 libwayland-egl1  # Qt on Wayland (bundled into the build)
  bubblewrap              # runs the frozen build in a sandbox with no Python
  desktop-file-utils      # desktop-file-validate: checking the Linux desktop entry
)

if command -v apt-get >/dev/null 2>&1; then
  missing=()
  for package in "${DEBIAN_PACKAGES[@]}"; do
    dpkg -s "$package" >/dev/null 2>&1 || missing+=("$package")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ]; then SUDO=""; elif command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else SUDO="none"; fi
    if [ "$SUDO" = none ]; then
      echo "setup: please install these Debian packages: ${missing[*]}" >&2
    else
      $SUDO apt-get update -qq
      DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "${missing[@]}" >/dev/null
    fi
  fi
fi

if [ ! -x .venv/bin/python ]; then
  "$PYTHON" -m venv .venv
fi
.venv/bin/python -m pip install -q --upgrade pip
# setuptools and wheel in .venv itself, so that a later source-only reinstall needs no network.
if [ -n "$EXTRAS" ]; then SPEC=".[$EXTRAS]"; else SPEC="."; fi
rm -rf build
.venv/bin/python -m pip install -q "setuptools>=68" wheel "$SPEC"
"$PYTHON" scripts/setup_state.py record "$EXTRAS"
