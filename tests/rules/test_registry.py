"""Every rule code has a test file of its own (hadolint: one rule file, one spec)."""

from pathlib import Path

import pytest

from xbuild.rules import REGISTRY

HERE = Path(__file__).parent


@pytest.mark.parametrize("code", [r.code for r in REGISTRY])
def test_rule_has_its_own_test_file(code):
    path = HERE / f"test_{code.lower()}.py"
    assert path.is_file(), f"{code} has no {path.relative_to(HERE.parent.parent)}"
    assert f'CODE = "{code}"' in path.read_text(encoding="utf-8"), \
        f"{path.name} does not test {code}"


def test_no_test_file_for_a_code_that_is_gone():
    codes = {r.code.lower() for r in REGISTRY}
    stale = sorted(p.name for p in HERE.glob("test_xb*.py") if p.stem[len("test_"):] not in codes)
    assert stale == []


def test_every_rule_module_is_registered():
    # xbuild/rules/__init__.py imports each module and lists it again in REGISTRY;
    # a module imported (or only written) but not listed would never run.
    import xbuild.rules

    rules_dir = Path(xbuild.rules.__file__).parent
    modules = {p.stem.split("_", 1)[0].upper() for p in rules_dir.glob("xb[0-9][0-9][0-9]_*.py")}
    assert modules == {r.code for r in REGISTRY}
