"""make's ``GOARCH ?= default`` reaches a recipe line as ``${GOARCH-default}``; xbuild
sets GOOS/GOARCH/GOARM around the recipe, so such a default never runs and what it
would run must not block the move (adversarial ctx-makefile-go-env-goarch). Defaults
that can still run stay in the line the vocabulary checks."""

from __future__ import annotations

import pytest

from xbuild.recipes.go import _without_dead_defaults


@pytest.mark.parametrize(("line", "expected"), [
    ("GOARCH=${GOARCH-$(shell go env GOARCH)} go build .", "GOARCH=${GOARCH} go build ."),
    ("GOOS=${GOOS-linux} GOARCH=${GOARCH-${HOSTARCH-amd64}} go build",
     "GOOS=${GOOS} GOARCH=${GOARCH} go build"),
    # `:-` also replaces an empty value, and xbuild may set GOARM empty: kept
    ("GOARM=${GOARM:-$(uname -m)} go build", "GOARM=${GOARM:-$(uname -m)} go build"),
    # a variable xbuild does not set keeps its default
    ("GOAMD64=${GOAMD64-$(uname -m)} go build", "GOAMD64=${GOAMD64-$(uname -m)} go build"),
    # unbalanced: left as written
    ("GOARCH=${GOARCH-$(x) go build", "GOARCH=${GOARCH-$(x) go build"),
])
def test_dead_defaults(line: str, expected: str) -> None:
    assert _without_dead_defaults(line) == expected
