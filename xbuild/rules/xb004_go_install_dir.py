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

from xbuild.analysis import Step
from xbuild.context import Context, Fix
from xbuild.result import Edit
from xbuild.rules._go import go_rewrites
from xbuild.rules._wording import Plans, reword

CODE = "XB004"
NAME = "go-install-output-dir"

PROBLEM = ("`go install` for a foreign GOOS/GOARCH writes to $GOPATH/bin/<os>_<arch>/, "
           "where a later COPY --from finds nothing; move the binary back to $GOPATH/bin")
# where go install puts a foreign GOOS/GOARCH's binary
INSTALL_DIR = '"$(go env GOPATH)/bin/${TARGETOS}_${TARGETARCH}"'


def check(ctx: Context, plans: Plans) -> list[Fix]:
    fixes = [f for index, step in go_rewrites(ctx, plans)
             if step.cmd.args and step.cmd.args[0] == "install"
             for f in [install_follow(ctx, index, step)] if f is not None]
    return reword(fixes, PROBLEM, ((r"go install of a foreign .*", PROBLEM),))


def install_follow(ctx: Context, index: int, step: Step) -> Fix | None:
    """The move of the installed binary back to $GOPATH/bin (None: already there)."""
    ins_text = ctx.df.text[step.ins.start:step.ins.end]
    if "${TARGETOS}_${TARGETARCH}" in ins_text:
        return None  # already followed
    end = step.cmd.words[-1].end
    follow = (f' && {{ [ ! -d {INSTALL_DIR} ] || mv {INSTALL_DIR}/* '
              f'"$(go env GOPATH)/bin/"; }}')
    return Fix(CODE, step.line,
               "go install of a foreign GOOS/GOARCH writes to $GOPATH/bin/<os>_<arch>/; "
               "moved back to $GOPATH/bin so later COPY --from still finds it",
               index, (Edit(end, end, follow, CODE),))
