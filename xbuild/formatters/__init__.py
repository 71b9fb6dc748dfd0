"""Output formats of ``xbuild check``, kept apart from the logic that finds things.

Each module renders a list of ``Checked`` (one per file) to a string; none of them
reads files, decides exit codes or knows about the terminal beyond a ``color`` flag.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from xbuild.errors import XBuildError
from xbuild.result import Finding, Result

FORMATS = ("text", "json", "sarif", "github", "diff")
# ``xbuild check --fail-on``: which findings make it exit 1.
#   fixable  what `xbuild convert --write` fixes, and errors (a stage that ships the build
#            machine's binary); refusals and advice are reported and pass (the default)
#   warning  every warning and error, fixable or not; notes never fail
#   never    nothing: report only
FAIL_ON = ("fixable", "warning", "never")
DEFAULT_FAIL_ON = "fixable"


def fails(finding: Finding, level: str) -> bool:
    """Whether ``finding`` makes ``xbuild check --fail-on level`` exit 1."""
    if level == "never" or finding.severity == "note":
        return False
    if level == "warning":
        return True
    return finding.fixed or finding.severity == "error"


@dataclass
class Checked:
    """One input file: its conversion result, or the error that stopped it."""

    path: str
    result: Result | None = None
    error: XBuildError | None = None

    @property
    def findings(self) -> tuple[Finding, ...]:
        return self.result.findings if self.result is not None else ()

    @cached_property
    def positions(self) -> Positions:
        return Positions(self.result.original if self.result is not None else "")


class Positions:
    """Offsets and lines of one original text as (line, column), both 1-based.

    Columns count Unicode code points (SARIF ``columnKind: unicodeCodePoints``);
    a ``\\r`` before a newline is an ordinary character of its line.
    """

    def __init__(self, text: str) -> None:
        self.text = text
        self._starts = [0]
        for i, c in enumerate(text):
            if c == "\n":
                self._starts.append(i + 1)

    def line_col(self, offset: int) -> tuple[int, int]:
        import bisect

        line = bisect.bisect_right(self._starts, offset) - 1
        return line + 1, offset - self._starts[line] + 1


def counts(checked: list[Checked]) -> dict[str, int]:
    findings = [f for c in checked for f in c.findings]
    return {
        "files": len(checked),
        "errors": sum(1 for c in checked if c.error is not None),
        "findings": len(findings),
        "fixable": sum(1 for f in findings if f.fixed),
        "error": sum(1 for f in findings if f.severity == "error"),
        "warning": sum(1 for f in findings if f.severity == "warning"),
        "note": sum(1 for f in findings if f.severity == "note"),
    }


def rule_name(code: str) -> str:
    from xbuild.rules import BY_CODE

    rule = BY_CODE.get(code)
    return rule.name if rule is not None else "internal"


def render(fmt: str, checked: list[Checked], *, color: bool = False) -> str:
    from importlib import import_module

    module = import_module(f"xbuild.formatters.{fmt}")
    out: str = module.render(checked, color=color)
    return out
