"""examples/*/Dockerfile.xbuild-init are what `xbuild init` writes today.

The e2e tier builds these committed files on the real rig (tests/e2e/test_init_e2e.py),
so a stale copy would prove nothing about the current templates. Refresh with
    xbuild init examples/X -o examples/X/Dockerfile.xbuild-init --force
"""

from __future__ import annotations

import os

import pytest

from xbuild.cli import main

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXAMPLES = ("hello-c", "hello-go", "hello-rust")


def test_every_example_has_an_init_file():
    found = sorted(d for d in os.listdir(os.path.join(ROOT, "examples"))
                   if os.path.isfile(os.path.join(ROOT, "examples", d, "Dockerfile")))
    assert found == list(EXAMPLES)


@pytest.mark.parametrize("name", EXAMPLES)
def test_init_file_is_current(capsys, name):
    path = os.path.join(ROOT, "examples", name)
    with pytest.raises(SystemExit) as exc:
        main(["init", path, "-o", "-"])
    out, err = capsys.readouterr()
    assert exc.value.code == 0, err
    with open(os.path.join(path, "Dockerfile.xbuild-init"), encoding="utf-8", newline="") as fh:
        committed = fh.read()
    assert out == committed, (f"examples/{name}/Dockerfile.xbuild-init is stale: run "
                              f"`xbuild init examples/{name} -o examples/{name}/Dockerfile.xbuild-init --force`")
