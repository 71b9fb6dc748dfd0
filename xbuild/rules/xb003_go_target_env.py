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

CODE = "XB003"
NAME = "go-build-for-target"


def check(ctx: Context, plans: dict) -> list[Fix]:
    return [f for p in plans.values() if p.cross is not None
            for f in p.cross.fixes if f.code == CODE]
