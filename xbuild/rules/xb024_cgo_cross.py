"""A cgo Go build cross-compiles with a cross C toolchain instead of staying emulated.

Why: ``CGO_ENABLED=1`` (or a project that imports "C") needs a C compiler and
libraries for the target. Turning cgo off would build, and fail at run time
(sqlite, pcap). On Debian builders the platform table's environment file
exports ``CC=<gnu-triple>-gcc`` and the target pkg-config directory, with the
stage's ``-dev`` packages installed as ``:<debarch>``; on Alpine, ``xx-go`` from
tonistiigi/xx does the same with clang. https://github.com/tonistiigi/xx#go--cgo

Before:
    ENV CGO_ENABLED=1
    RUN go build -o /app .
After (Debian):
    ENV CGO_ENABLED=1
    ARG TARGETOS TARGETARCH TARGETVARIANT TARGETPLATFORM
    # xbuild: cross toolchain; rows: Debian arch, GNU triple (from xbuild's platform table)
    RUN set -e; case "$TARGETPLATFORM" in ... esac; printf 'export %s\\n' GNU_TRIPLE=$2 CC=$2-gcc > /etc/xbuild.env; ...
    RUN . /etc/xbuild.env && GOOS=$TARGETOS GOARCH=$TARGETARCH GOARM=${TARGETVARIANT#v} go build -o /app .
"""

from __future__ import annotations

from xbuild import toolchain as tcm
from xbuild.analysis import Step
from xbuild.context import Context, Fix
from xbuild.recipes.base import Toolchain
from xbuild.recipes.go import GO
from xbuild.result import Edit
from xbuild.rules._cross import settled
from xbuild.rules._wording import ON_BUILD, Plans, reword

CODE = "XB024"
NAME = "cgo-cross-toolchain"

PROBLEM = f"{ON_BUILD}, cgo compiles its C code for the build machine"


def check(ctx: Context, plans: Plans) -> list[Fix]:
    """The cgo builds of every stage whose Go recipe settled a cross C toolchain for them
    (``xbuild.recipes.cgo``)."""
    fixes: list[Fix] = []
    for index, _, tc, _ in settled(plans, "cgo"):
        steps = [s for s in ctx.facts[index].go_builds if GO.uses_cgo(ctx, index, s)]
        fixes.extend(cgo_fixes(ctx, index, steps, tc))
    return reword(fixes, PROBLEM)


def cgo_fixes(ctx: Context, index: int, steps: list[Step], tc: Toolchain) -> list[Fix]:
    """xx: ``go`` becomes ``xx-go``; native: the RUN sources the environment file that
    exports CC and PKG_CONFIG_LIBDIR (once per RUN)."""
    out: list[Fix] = []
    prefixed: set[int] = set()
    for s in steps:
        if tc.helper == "xx":
            w = s.cmd.words[0]
            edits: tuple[Edit, ...] = (Edit(w.start, w.end, "xx-go", CODE),)
            msg = "cgo build through xx-go (target C compiler and pkg-config)"
        else:
            e = tcm.run_prefix_once(ctx, s.ins, CODE, prefixed)
            if e is None:
                continue
            edits = (e,)
            msg = "cgo build with the target's cross gcc (CC) and pkg-config directory"
        out.append(Fix(CODE, s.line, msg, index, edits))
    return out
