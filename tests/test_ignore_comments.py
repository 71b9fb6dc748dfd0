"""Inline ``# xbuild: ignore`` / ``# xbuild: ignore=XB003`` comments (convert._ignored)."""

from __future__ import annotations

import textwrap

import pytest

from xbuild.convert import convert


def run(src):
    src = textwrap.dedent(src).lstrip("\n")
    return src, convert(src)


def codes(result):
    return sorted({f.code for f in result.findings})


def test_ignore_whole_stage():
    src, r = run("""
        # xbuild: ignore
        FROM golang:1.22 AS b
        RUN go build -o /app .
        FROM alpine
        COPY --from=b /app /app
    """)
    assert codes(r) == []
    assert r.text == src


def test_ignore_one_code_on_stage():
    _, r = run("""
        # xbuild: ignore=XB003
        FROM golang:1.22 AS b
        RUN go build -o /app .
        FROM alpine
        COPY --from=b /app /app
    """)
    # ignoring one part of a stage's rewrite leaves the whole rewrite out: a move
    # without the target env would ship the build machine's architecture. What stays
    # is reported as it stays: a glibc go build copied into alpine (XB042)
    assert codes(r) == ["XB042"]
    assert not r.changed
    assert "XB003 is ignored" in r.stages[0].reasons[0]


def test_ignore_on_instruction_only_that_instruction():
    _, r = run("""
        ARG TARGETOS=linux
        # xbuild: ignore=XB005
        ARG TARGETARCH=amd64
        FROM alpine
    """)
    assert [(f.code, f.line) for f in r.findings] == [("XB005", 1)]


@pytest.mark.parametrize("comment", [
    "# xbuild: ignore=XB005,XB040",
    "#xbuild:ignore=xb005, xb040",
    "# XBUILD: IGNORE",
    "   # xbuild: ignore=XB005",
])
def test_spellings(comment):
    _, r = run(f"""
        {comment}
        ARG TARGETARCH=amd64
        FROM alpine
    """)
    assert codes(r) == []


def test_ignore_among_other_comments():
    _, r = run("""
        # xbuild: ignore=XB005
        # the default is on purpose
        ARG TARGETARCH=amd64
        FROM alpine
    """)
    assert codes(r) == []


def test_other_code_not_ignored():
    _, r = run("""
        # xbuild: ignore=XB001
        ARG TARGETARCH=amd64
        FROM alpine
    """)
    assert codes(r) == ["XB005"]


def test_comment_separated_by_blank_line_does_not_apply():
    _, r = run("""
        # xbuild: ignore

        ARG TARGETARCH=amd64
        FROM alpine
    """)
    assert codes(r) == ["XB005"]


def test_comment_below_does_not_apply():
    _, r = run("""
        ARG TARGETARCH=amd64
        # xbuild: ignore
        FROM alpine
    """)
    assert codes(r) == ["XB005"]


def test_instruction_in_continuation_line():
    # the finding's line is the instruction's first line; the comment goes above it
    _, r = run("""
        FROM alpine AS a
        # xbuild: ignore=XB041
        RUN --mount=type=cache,target=/var/cache/apk \\
            apk add gcc
    """)
    assert codes(r) == []


def test_stage_ignore_does_not_leak_to_next_stage():
    _, r = run("""
        # xbuild: ignore
        FROM alpine AS a
        RUN echo $TARGETARCH
        FROM alpine
        RUN echo $TARGETARCH
    """)
    assert [(f.code, f.stage) for f in r.findings] == [("XB040", "alpine")]


def test_ignore_on_the_compile_leaves_the_whole_stage_alone():
    src, r = run("""
        FROM golang:1.22 AS b
        # xbuild: ignore=XB003
        RUN go build -o /app .
        FROM alpine
        COPY --from=b /app /app
    """)
    assert codes(r) == ["XB042"]  # the file as it stays: see the next test
    assert r.text == src  # no half rewrite: moved without GOARCH would ship amd64 everywhere


def test_a_stage_left_alone_by_an_ignore_gets_the_findings_of_the_file_as_it_stays():
    """Regression: the rules ran on the plan that moved the stage, then an ignore undid
    the move (``_drop_ignored`` edited the plans afterwards), so the findings described
    a rewrite that was never made: XB042 (the glibc go build copied into alpine) was
    hidden because the dropped XB003 would have set CGO_ENABLED=0. The unit is now
    vetoed and planned again before the rules run for good."""
    src = textwrap.dedent("""\
        FROM golang:1.22 AS b
        RUN go build -o /app .
        FROM alpine
        COPY --from=b /app /app
    """)
    _, kept = run("# xbuild: ignore=XB003\n" + src)
    _, refused = run(src.replace("RUN go build -o /app .", "RUN go build -o /app .\nRUN ./x"))
    assert "XB042" in codes(kept) and "XB042" in codes(refused)
    assert not kept.changed
    (f,) = [f for f in kept.findings if f.code == "XB042"]
    assert "CGO_ENABLED unset" in f.message and not f.fixed


def test_directive_zone_comment_is_not_an_ignore_of_first_instruction():
    # a `# key=value` line at the top is a parser directive; `# xbuild: ignore=XB005`
    # (colon, space) is not one, so it is an ordinary comment and applies
    _, r = run("""
        # syntax=docker/dockerfile:1
        # xbuild: ignore=XB005
        ARG TARGETARCH=amd64
        FROM alpine
    """)
    assert codes(r) == []
