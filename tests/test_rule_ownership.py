"""Rules own their rewrites (issue 14.2): recipes detect a language, give blockers and
settle a toolchain; every edit comes from the one rule whose code it carries.

Run over every golden input, so a recipe that starts making edits again, or a rule
that makes another rule's edits, fails here before it drifts."""

from __future__ import annotations

import pytest

from tests.conftest import Case, discover
from xbuild.context import Context
from xbuild.convert import REWRITE_CODES, convert
from xbuild.plan import plan
from xbuild.rules import REGISTRY

CASES = discover()


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_every_edit_is_its_rules(case: Case) -> None:
    ctx = Context.from_text(case.input, str(case.src), case.options)
    plans = plan(ctx)
    for p in plans.values():
        if p.cross is not None:
            assert not [f for f in p.cross.findings if f.edits], \
                f"stage {p.index}: a recipe made edits"
    for rule in REGISTRY:
        for f in rule.check(ctx, plans):
            assert f.code == rule.code
            assert {e.code for e in f.edits} <= {rule.code}, f"{rule.code} made another's edit"


def test_the_toolchain_rewrite_codes_all_have_edits_somewhere() -> None:
    """Each rewrite rule fixes something in at least one golden: a rule whose edits
    moved away (back into a recipe) and left it empty shows up here."""
    seen: set[str] = set()
    for case in CASES:
        result = convert(case.input, str(case.src), case.options)
        seen |= {f.code for f in result.findings if f.edits}
    assert REWRITE_CODES <= seen, sorted(REWRITE_CODES - seen)
