#!/usr/bin/env bash
# The whole test suite from a fresh machine: install xbuild with its test
# dependencies into a new virtual environment, run the fast tier.
set -euo pipefail
cd "$(dirname "$0")/.."
VENV=${XBUILD_VENV:-.venv-test}
python3 -m venv "$VENV"
"$VENV/bin/python" -m pip install -q --upgrade pip
"$VENV/bin/python" -m pip install -q '.[test]'
"$VENV/bin/python" -m pytest
