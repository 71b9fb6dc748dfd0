"""cgo: a Go build with CGO_ENABLED=1 gets the same cross C toolchain as C/C++.

Debian (native helper): the platform table's environment file exports
``CC=<gnu-triple>-gcc`` and ``PKG_CONFIG_LIBDIR`` for the target's multiarch
directory, and the stage's ``-dev`` packages are installed as ``:<debarch>``.
Alpine (xx): ``go`` becomes ``xx-go``, which sets CC to the target's clang and
pkg-config to the xx sysroot (https://github.com/tonistiigi/xx#go--cgo).
cgo is never turned off: a stage whose cgo cannot be served stays emulated.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from xbuild import toolchain as tcm
from xbuild.context import Fix
from xbuild.result import Edit

if TYPE_CHECKING:
    from xbuild.analysis import Step
    from xbuild.context import Context
    from xbuild.recipes.base import CrossPlan

CODE = "XB024"


def cgo_cross(ctx: Context, index: int, steps: list[Step], plan: CrossPlan) -> None:
    tc = tcm.toolchain(ctx, index, "c")
    if not tc.ok:
        return
    plan.target_args = tuple(plan.target_args) + ("TARGETPLATFORM",)
    prefixed: set[int] = set()
    for s in steps:
        if tc.helper == "xx":
            w = s.cmd.words[0]
            edits = (Edit(w.start, w.end, "xx-go", CODE),)
            msg = "cgo build through xx-go (target C compiler and pkg-config)"
        else:
            e = tcm.run_prefix_once(ctx, s.ins, CODE, prefixed)
            if e is None:
                continue
            edits = (e,)
            msg = "cgo build with the target's cross gcc (CC) and pkg-config directory"
        plan.fixes.append(Fix(CODE, s.line, msg, index, edits))
    tcm.finish_cross(ctx, index, plan, tc, tcm.needs_of(ctx, index, "cgo"),
                     [plan.first_target_use or steps[0].ins])
