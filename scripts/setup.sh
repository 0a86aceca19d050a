#!/usr/bin/env bash
# Creates .venv in the repository root (or reuses it) and installs the project with its
# pinned dependencies in one pip resolution. torch==2.13.0 resolves to the CPU build.
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON="${PYTHON:-python3.11}"
[ -x .venv/bin/python ] || "$PYTHON" -m venv .venv
.venv/bin/python -m pip install --quiet --upgrade pip
.venv/bin/python -m pip install --quiet -e ".[dev]"
