"""`go install` output is followed out of `$GOPATH/bin/<os>_<arch>/`.

Why: ``go install`` with a GOOS/GOARCH other than the host's writes the
binary to ``$GOPATH/bin/<os>_<arch>/`` instead of ``$GOPATH/bin/``; a later
``COPY --from=build /go/bin/app`` would find nothing on the foreign platforms.
The binary is moved back after the install (a no-op for the native platform).

Before:
    RUN go install ./cmd/app
After:
    RUN CGO_ENABLED=0 GOOS=$TARGETOS GOARCH=$TARGETARCH GOARM=${TARGETVARIANT#v} go install ./cmd/app && { [ ! -d "$(go env GOPATH)/bin/${TARGETOS}_${TARGETARCH}" ] || mv "$(go env GOPATH)/bin/${TARGETOS}_${TARGETARCH}"/* "$(go env GOPATH)/bin/"; }
"""

from __future__ import annotations

from xbuild.context import Context, Fix
from xbuild.rules._wording import Plans, passthrough, reword

CODE = "XB004"
NAME = "go-install-output-dir"

PROBLEM = ("`go install` for a foreign GOOS/GOARCH writes to $GOPATH/bin/<os>_<arch>/, "
           "where a later COPY --from finds nothing; move the binary back to $GOPATH/bin")


def check(ctx: Context, plans: Plans) -> list[Fix]:
    return reword(passthrough(plans, CODE), PROBLEM, ((r"go install of a foreign .*", PROBLEM),))
