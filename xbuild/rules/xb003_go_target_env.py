"""`go build` compiles for the target: explicit CGO_ENABLED, GOOS, GOARCH, GOARM.

Why: on $BUILDPLATFORM Go compiles for the build machine unless told
otherwise. CGO_ENABLED is always explicit: Go turns cgo on natively when a C
compiler is present and off when cross-compiling, so leaving it unset gives
different binaries per platform. GOARM follows the arm variant (v6/v7); a
hard-coded GOARCH is replaced, since it ships one architecture to every
platform.

Before:
    RUN go build -o hello .
After:
    RUN CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH GOARM=${TARGETVARIANT#v} go build -o hello .
"""

from __future__ import annotations

from xbuild.context import Context, Fix
from xbuild.rules._wording import ON_BUILD, Plans, passthrough, reword

CODE = "XB003"
NAME = "go-build-for-target"

PROBLEM = f"{ON_BUILD}, Go compiles for the build machine"


def check(ctx: Context, plans: Plans) -> list[Fix]:
    return reword(passthrough(plans, CODE), PROBLEM, (
        (r"(`[^`]+`) compiles for the target: (.*)",
         rf"\1 compiles for the build machine {ON_BUILD}; set \2"),))
