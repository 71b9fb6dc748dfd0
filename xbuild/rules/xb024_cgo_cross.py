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

from xbuild.context import Context, Fix
from xbuild.rules._wording import ON_BUILD, Plans, passthrough, reword

CODE = "XB024"
NAME = "cgo-cross-toolchain"

PROBLEM = f"{ON_BUILD}, cgo compiles its C code for the build machine"


def check(ctx: Context, plans: Plans) -> list[Fix]:
    return reword(passthrough(plans, CODE), PROBLEM)
