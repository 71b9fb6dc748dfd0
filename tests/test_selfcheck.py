"""xbuild checks its own work (issue 10 item 8): the rewritten file is analysed again,
and a unit whose rewrite does not come out cross-compiling is left as it was. The
pipeline is one-way (issue 14.3): such a unit is vetoed and planned again; plans are
never edited after the rules saw them."""

from __future__ import annotations

import dataclasses

import pytest

from xbuild.context import Context
from xbuild.convert import REWRITE_CODES, _check_vetoes, convert
from xbuild.plan import Veto, plan
from xbuild.result import KEPT, MOVED, REFUSED, Options
from xbuild.rules import REGISTRY

GO = """\
FROM golang:1.22-alpine AS build
WORKDIR /src
COPY . .
RUN CGO_ENABLED=0 go build -o /out/app .

FROM alpine
COPY --from=build /out/app /app
"""


def _fixes(text: str):
    ctx = Context.from_text(text, "Dockerfile", Options())
    plans = plan(ctx)
    fixes = [f for rule in REGISTRY for f in rule.check(ctx, plans)]
    return ctx, plans, fixes


def test_a_sound_rewrite_passes_its_own_check():
    ctx, plans, fixes = _fixes(GO)
    assert _check_vetoes(ctx, plans, fixes, GO, "Dockerfile", Options()) == {}
    assert plans[0].action == MOVED


def test_a_move_without_the_cross_compile_fails_its_own_check():
    # the stage moved (XB001) but its go build was not made to target the platform:
    # the check must see the build machine's binary and veto the whole unit
    ctx, plans, fixes = _fixes(GO)
    partial = [f for f in fixes if f.code == "XB001"]
    assert partial
    vetoes = _check_vetoes(ctx, plans, partial, GO, "Dockerfile", Options())
    assert set(vetoes) == {0}
    assert vetoes[0].action == REFUSED
    assert "still compiles for the build platform" in vetoes[0].reason
    assert plans[0].action == MOVED  # the plan the rules saw is untouched
    again = plan(ctx, vetoes)
    assert again[0].action == REFUSED and again[0].reasons == ((1, vetoes[0].reason),)
    assert not again[0].move_root and again[1].action == KEPT
    # planned with the veto, no rule rewrites the stage any more
    assert not [f for rule in REGISTRY for f in rule.check(ctx, again)
                if f.code in REWRITE_CODES and f.edits]


def test_plans_are_frozen():
    ctx, plans, _ = _fixes(GO)
    with pytest.raises(dataclasses.FrozenInstanceError):
        plans[0].action = KEPT  # type: ignore[misc]
    with pytest.raises(TypeError):
        plans[0] = plans[1]  # type: ignore[index]


def test_a_veto_keeps_the_stage_and_says_why():
    ctx = Context.from_text(GO, "Dockerfile", Options())
    p = plan(ctx, {0: Veto(KEPT, 4, "XB003 is ignored")})
    assert p[0].action == KEPT and p[0].reasons == ((4, "XB003 is ignored"),)
    assert not p[0].move_root and p[0].cross is None


def test_convert_output_of_every_moved_stage_is_already_cross():
    result = convert(GO, "Dockerfile", Options())
    again = Context.from_text(result.text, "Dockerfile", Options())
    assert plan(again)[0].action == "already"


def test_analysis_never_changes_the_context_it_was_given():
    """One-way (issue 14.3): the planner used to turn a shipped ``go install tool@v``
    into a go build by editing ``ctx.facts`` in place; ``analyse`` now returns a new
    context and leaves the first one as the scanner made it."""
    from pathlib import Path

    from xbuild.artifacts import with_shipped_tools
    from xbuild.vocabulary import GO_BUILD, GO_TOOL

    text = (Path(__file__).parent / "fixtures/go/go-install-tool-shipped.in.Dockerfile").read_text()
    ctx = Context.from_text(text, "Dockerfile", Options())
    kinds = [s.kind for f in ctx.facts.values() for s in f.steps]
    assert GO_TOOL in kinds
    new = with_shipped_tools(ctx)
    assert [s.kind for f in ctx.facts.values() for s in f.steps] == kinds
    new_kinds = [s.kind for f in new.facts.values() for s in f.steps]
    assert GO_TOOL not in new_kinds and GO_BUILD in new_kinds
    plan(new)
    assert [s.kind for f in new.facts.values() for s in f.steps] == new_kinds
