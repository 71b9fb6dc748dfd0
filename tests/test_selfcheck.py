"""xbuild checks its own work (issue 10 item 8): the rewritten file is analysed again,
and a unit whose rewrite does not come out cross-compiling is left as it was."""

from __future__ import annotations

from xbuild.context import Context
from xbuild.convert import _checked, convert
from xbuild.plan import plan
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
    kept = _checked(ctx, plans, fixes, GO, "Dockerfile", Options())
    assert kept == fixes
    assert plans[0].action == MOVED


def test_a_move_without_the_cross_compile_fails_its_own_check():
    # the stage moved (XB001) but its go build was not made to target the platform:
    # the check must see the build machine's binary and undo the whole unit
    ctx, plans, fixes = _fixes(GO)
    partial = [f for f in fixes if f.code == "XB001"]
    assert partial
    kept = _checked(ctx, plans, partial, GO, "Dockerfile", Options())
    assert kept == []
    assert plans[0].action == REFUSED
    assert "still compiles for the build platform" in plans[0].reasons[0][1]
    assert plans[1].action == KEPT


def test_convert_output_of_every_moved_stage_is_already_cross():
    result = convert(GO, "Dockerfile", Options())
    again = Context.from_text(result.text, "Dockerfile", Options())
    assert plan(again)[0].action == "already"
