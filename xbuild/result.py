"""What a conversion returns: edits, findings and the per-stage report.

These types are the contract between the core (model, graph, rules) and the
ends (CLI, formatters, buildx). They carry data only.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from xbuild.platforms import DEFAULT_PLATFORMS


@dataclass(frozen=True)
class Options:
    """How to convert. Every field has the default the CLI uses."""

    target: str | None = None  # exported stage name; None: the last stage
    context: str | None = None  # project directory; refines detection (go.mod, import "C")
    platforms: tuple[str, ...] = DEFAULT_PLATFORMS
    helper: str = "auto"  # auto | native | xx  (toolchain strategy, Rust/C/cgo)
    ignore: frozenset[str] = frozenset()  # rule codes to skip


@dataclass(frozen=True)
class Edit:
    """Replace ``text[start:end]`` (offsets into the original text) by ``replacement``.

    An insertion has ``start == end``. Edits never overlap; insertions at the same
    offset apply in ``order``.
    """

    start: int
    end: int
    replacement: str
    code: str
    order: int = 0


@dataclass(frozen=True)
class Finding:
    """One thing a rule found. ``fixed``: an edit in the result repairs it."""

    code: str
    line: int  # 1-based line in the original text
    message: str
    stage: str | None = None
    fixed: bool = False
    severity: str = "warning"  # error | warning | note
    edits: tuple[Edit, ...] = ()  # the edits (within Result.edits) that fix it
    # (start_line, start_col, end_line, end_col), 1-based: the instruction at ``line``,
    # set by the pipeline so formatters never parse the file again
    span: tuple[int, int, int, int] | None = None

    @property
    def region(self) -> tuple[int, int, int, int]:
        return self.span or (self.line, 1, self.line, 1)


# Per-stage actions, as the report prints them.
MOVED = "moved"  # put on $BUILDPLATFORM and made to cross-compile
REWRITTEN = "rewritten"  # stays where it is (already on $BUILDPLATFORM / inherits), edited
KEPT = "kept"  # stays on the target platform; nothing to do (runtime stage, no compile)
REFUSED = "refused"  # compiles emulated and xbuild will not move it, with a reason
ALREADY = "already"  # already cross-compiles


@dataclass
class StageReport:
    index: int
    name: str  # alias, or the index as text
    line: int
    action: str
    reasons: list[str] = field(default_factory=list)


@dataclass
class Result:
    path: str
    original: str
    text: str
    edits: tuple[Edit, ...] = ()
    findings: tuple[Finding, ...] = ()
    stages: tuple[StageReport, ...] = ()

    @property
    def changed(self) -> bool:
        return self.text != self.original
