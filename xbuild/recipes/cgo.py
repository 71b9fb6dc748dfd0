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

if TYPE_CHECKING:
    from xbuild.analysis import Step
    from xbuild.context import Context
    from xbuild.recipes.base import CrossPlan


def cgo_cross(ctx: Context, index: int, steps: list[Step], plan: CrossPlan) -> None:
    tc = tcm.toolchain(ctx, index, "c")
    if not tc.ok:
        return
    plan.target_args = tuple(plan.target_args) + ("TARGETPLATFORM",)
    # the edits of the cgo builds are rule XB024's (xbuild/rules/xb024_cgo_cross.py)
    tcm.finish_cross(ctx, index, plan, tc, tcm.needs_of(ctx, index, "cgo"),
                     [plan.first_target_use or steps[0].ins])
