"""Helpers for the per-rule tests (pyupgrade style: ``noop`` and ``fixes`` pairs).

Every case goes through ``convert()``, the same path the CLI takes, so a rule is
tested together with the planner and the other rules it must not collide with.
Every fixed output is converted again and must not change (convergence), and
must still parse with BuildKit's own parser when that is installed.
"""

from __future__ import annotations

import textwrap

from xbuild.convert import convert
from xbuild.result import Finding, Result
from xbuild.settings import make_options


# A small C project with no code generators: the build context C cases convert with
# (a build system's recipe is only trusted once the project's files have been read).
C_PROJECT = str(__import__("pathlib").Path(__file__).resolve().parents[1] / "projects" / "c-cmake")


def dedent(src: str) -> str:
    return textwrap.dedent(src).lstrip("\n")


def run(src: str, **options: str) -> Result:
    return convert(dedent(src), "Dockerfile", make_options("Dockerfile", **options))


def of(result: Result, code: str) -> list[Finding]:
    return [f for f in result.findings if f.code == code]


def assert_noop(src: str, code: str, **options: str) -> None:
    """The rule finds nothing and edits nothing."""
    result = run(src, **options)
    assert of(result, code) == [], of(result, code)
    assert not [e for e in result.edits if e.code == code]


def fold_case(text: str) -> str:
    """``text`` with the arms of each generated ``case "$TARGETPLATFORM"`` block
    folded into one ``...`` line: the arms come from the platform table (one per
    platform, hundreds of characters each) and are asserted on by test_xb021."""
    out: list[str] = []
    inside = False
    for line in text.splitlines(keepends=True):
        if inside and line.lstrip().startswith("esac"):
            inside = False
            out.append("      ...\n")
        if not inside:
            out.append(line)
        if line.startswith("RUN case \"$TARGETPLATFORM\" in"):
            inside = True
    assert not inside, "a case block without esac"
    return "".join(out)


def assert_fixes(src: str, expected: str, code: str, line: int, *, fold: bool = False,
                 **options: str) -> Result:
    """The rule finds something on ``line``, fixes it, and the output converges.

    ``fold``: compare with the generated platform case arms folded (``fold_case``);
    convergence and parsing are still checked on the whole output."""
    result = run(src, **options)
    found = of(result, code)
    assert found, f"no {code} in {result.findings}"
    assert line in [f.line for f in found], [f.line for f in found]
    assert all(f.fixed for f in found), found
    assert (fold_case(result.text) if fold else result.text) == dedent(expected)
    _converges(result.text, code, **options)
    return result


def assert_reports(src: str, code: str, line: int, *, contains: str = "",
                   **options: str) -> Finding:
    """The rule reports on ``line`` without an edit of its own."""
    result = run(src, **options)
    found = [f for f in of(result, code) if f.line == line]
    assert found, f"no {code} on line {line} in {result.findings}"
    assert not found[0].fixed
    assert not [e for e in result.edits if e.code == code]
    assert contains in found[0].message, found[0].message
    return found[0]


def assert_refused(src: str, code: str, line: int, why: str, **options: str) -> Finding:
    """The stage stays emulated: XB008 on ``line`` says ``why``; ``code`` neither
    reports nor edits, and the file comes out unchanged."""
    result = run(src, **options)
    assert of(result, code) == [], of(result, code)
    assert result.text == dedent(src)
    found = [f for f in of(result, "XB008") if f.line == line]
    assert found, f"no XB008 on line {line} in {result.findings}"
    assert any(why in f.message for f in found), [f.message for f in found]
    return found[0]


def _converges(text: str, code: str, **options: str) -> None:
    again = convert(text, "Dockerfile", make_options("Dockerfile", **options))
    assert again.text == text, "a second run changed the output"
    assert not [f for f in of(again, code) if f.fixed]
    try:
        import dockerfile
    except ImportError:  # the BuildKit oracle is a test extra; the core check still ran
        return
    dockerfile.parse_string(text)
