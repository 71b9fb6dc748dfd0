"""The pipeline: text -> model -> stage graph -> plan -> rule fixes -> edits -> result."""

from __future__ import annotations

import bisect
import dataclasses
import re

from xbuild.context import Context, Fix
from xbuild.errors import XBuildError
from xbuild.plan import Plans, Veto, plan
from xbuild.result import (
    ALREADY,
    KEPT,
    MOVED,
    REFUSED,
    REWRITTEN,
    Edit,
    Options,
    Result,
    StageReport,
)


def convert(text: str, path: str = "<stdin>", options: Options = Options()) -> Result:
    """Convert one Dockerfile's text. Pure: no I/O except reading ``options.context``.

    Raises ``XBuildError`` for input BuildKit would reject (one line, with the line).
    """
    from xbuild.rules import REGISTRY

    ctx = analyse(text, path, options)
    check_ignore_comments(ctx)
    # One way through: plan, run the rules, and when a unit's rewrite cannot stand (a part
    # of it is ignored, or xbuild's own check of the result fails), plan again with that
    # unit vetoed. Plans are never edited after the rules saw them; each round vetoes at
    # least one more stage, so this ends.
    vetoes: dict[int, Veto] = {}
    while True:
        plans = plan(ctx, vetoes)
        fixes = [f for rule in REGISTRY for f in rule.check(ctx, plans)]
        new = _ignore_vetoes(ctx, plans, fixes)
        fixes = [f for f in fixes if not _is_ignored(ctx, f)]
        if not new:
            new = _check_vetoes(ctx, plans, fixes, text, path, options)
        new = {i: v for i, v in new.items() if i not in vetoes}
        if not new:
            break
        vetoes |= new
    # One replacement per insertion point: a consumer applying a finding's fix
    # (SARIF) cannot know in which order two insertions at one offset belong.
    fixes = [dataclasses.replace(f, edits=coalesce(f.edits)) if len(f.edits) > 1 else f
             for f in fixes]
    edits = tuple(e for f in fixes for e in f.edits)
    try:
        new_text = apply_edits(text, edits)
    except ValueError as exc:  # overlapping edits: a bug; never guess
        fixes = [Fix(f.code, f.line, f.message, f.stage) for f in fixes]
        fixes.append(Fix("XB000", 1, f"internal: conflicting edits ({exc}); file left unchanged",
                         severity="error"))
        edits, new_text = (), text
    if new_text != text:
        _self_check(new_text, text, path, len(edits), before=len(ctx.df.instructions))

    labels = {st.index: st.label for st in ctx.df.stages}
    findings = tuple(sorted((f.finding(labels.get(f.stage) if f.stage is not None else None,
                                       ctx.df.span(f.line))
                             for f in merge_duplicates(fixes)), key=lambda f: (f.line, f.code)))
    return Result(path=path, original=text, text=new_text, edits=edits, findings=findings,
                  stages=tuple(_reports(ctx, plans, fixes)))


def analyse(text: str, path: str, options: Options) -> Context:
    """What the planner and the rules read: the model, graph and step facts of one file,
    with shipped ``go install`` tools taken for the products they are."""
    from xbuild.artifacts import with_shipped_tools

    return with_shipped_tools(Context.from_text(text, path, options))


# The edits that together move a stage and make it cross-compile: all or nothing.
# Moving a stage without making its compiler target the platform (or the other way
# round) builds fine and ships the wrong architecture.
REWRITE_CODES = frozenset({"XB001", "XB002", "XB003", "XB004",
                           "XB020", "XB021", "XB022", "XB023", "XB024"})


def _is_ignored(ctx: Context, fix: Fix) -> bool:
    return fix.code in ctx.options.ignore or _ignored(ctx, fix)


def _ignore_vetoes(ctx: Context, plans: Plans, fixes: list[Fix]) -> dict[int, Veto]:
    """Honour --ignore / config / ``# xbuild: ignore`` comments. Ignoring one part of
    a stage's rewrite leaves that whole rewrite out (the stage stays as it is)."""
    out: dict[int, Veto] = {}
    ignored = [f for f in fixes if f.code in REWRITE_CODES and f.edits and _is_ignored(ctx, f)]
    if not ignored:
        return out
    for unit in _units(ctx, plans):
        hit = next((f for f in ignored if f.stage in unit), None)
        if hit is not None:
            why = f"{hit.code} is ignored, and a stage's rewrite is all or nothing: left as it is"
            out.update({i: Veto(KEPT, hit.line, why) for i in unit})
    return out


def merge_duplicates(fixes: list[Fix]) -> list[Fix]:
    """One finding per (code, line, message, stage): two edits a recipe made for one
    step (`make` twice in one RUN) read as one problem, with both edits as its fix."""
    out: dict[tuple[str, int, str, int | None], Fix] = {}
    for f in fixes:
        key = (f.code, f.line, f.message, f.stage)
        if key in out:
            prev = out[key]
            out[key] = dataclasses.replace(prev, edits=coalesce(prev.edits + f.edits))
        else:
            out[key] = f
    return list(out.values())


def _units(ctx: Context, plans: Plans) -> list[set[int]]:
    """Stages whose rewrite stands or falls together: a moved tree, or one stage."""
    g = ctx.graph
    units: list[set[int]] = []
    for i, p in plans.items():
        if p.move_root:
            units.append({i, *g.children(i)})
        elif p.action == REWRITTEN:
            units.append({i})
    return units


def _check_vetoes(ctx: Context, plans: Plans, fixes: list[Fix], text: str, path: str,
                  options: Options) -> dict[int, Veto]:
    """xbuild checks its own work: the rewritten file is analysed again, and every
    stage it moved or rewrote must now cross-compile (the planner calls it already
    cross, or it is an asset stage) with nothing native leaving it. A unit that fails
    is vetoed, with the reason: never a half-converted stage."""
    from xbuild.artifacts import export_blockers

    out: dict[int, Veto] = {}
    units = _units(ctx, plans)
    if not units:
        return out
    try:
        new_text = apply_edits(text, [e for f in fixes for e in f.edits])
        after = analyse(new_text, path, options)
        plans_after = plan(after)
    except (ValueError, XBuildError):
        return out  # reported by the callers' own checks
    for unit in units:
        problems: list[tuple[int, str]] = []
        for i in sorted(unit):
            if i not in ctx.graph.feeds:
                continue
            p = plans_after.get(i)
            if p is not None and p.action == REWRITTEN:
                problems.append((ctx.df.stages[i].from_.line,
                                 f"stage `{ctx.df.stages[i].label}` still compiles for the build "
                                 "platform"))
            elif p is not None and p.action == REFUSED:
                problems.extend(p.reasons[-1:])
            problems.extend(export_blockers(after, i))
        if not problems:
            continue
        line, why = problems[0]
        for i in sorted(unit):
            out[i] = Veto(REFUSED if i in ctx.graph.feeds else KEPT, ctx.df.stages[i].from_.line,
                          f"xbuild's own rewrite failed its check (line {line} of the rewritten "
                          f"file: {why}); left as it is")
    return out


def coalesce(edits: tuple[Edit, ...]) -> tuple[Edit, ...]:
    """Merge pure insertions at the same offset into one edit, in apply order."""
    out: list[Edit] = []
    for e in sorted(edits, key=lambda e: (e.start, e.end, e.order)):
        prev = out[-1] if out else None
        if prev is not None and prev.start == prev.end == e.start == e.end:
            out[-1] = Edit(prev.start, prev.end, prev.replacement + e.replacement, prev.code,
                           prev.order)
        else:
            out.append(e)
    return tuple(out)


def apply_edits(text: str, edits: tuple[Edit, ...] | list[Edit]) -> str:
    """Splice ``edits`` into ``text`` bottom-up so untouched bytes never move."""
    ordered = sorted(edits, key=lambda e: (e.start, e.end, e.order))
    for a, b in zip(ordered, ordered[1:], strict=False):
        if b.start < a.end:
            raise ValueError(f"{a.code} at {a.start}-{a.end} overlaps {b.code} at {b.start}-{b.end}")
    # one join, not a copy of the whole text per edit (quadratic on big files)
    out: list[str] = []
    pos = 0
    for e in ordered:
        out.append(text[pos:e.start])
        out.append(e.replacement)
        pos = e.end
    out.append(text[pos:])
    return "".join(out)


def _self_check(new_text: str, text: str, path: str, n_edits: int,
                before: int | None = None) -> None:
    """The output must still parse, with no instruction lost. ``before``: the
    original's instruction count when the caller has parsed it already."""
    from xbuild.model import parse

    try:
        if before is None:
            before = len(parse(text, path).instructions)
        after = len(parse(new_text, path).instructions)
    except XBuildError as exc:
        raise XBuildError(f"internal: the rewrite does not parse ({exc}); file left unchanged",
                          path=path, exit_code=70) from None
    if after < before:
        raise XBuildError(f"internal: the rewrite lost instructions ({before} -> {after}); "
                          "file left unchanged", path=path, exit_code=70)


def _ignored(ctx: Context, fix: Fix) -> bool:
    """``# xbuild: ignore`` / ``# xbuild: ignore=XB003,XB004`` on the line above an
    instruction, or above a stage's FROM for the whole stage."""
    lines = [fix.line]
    if fix.stage is not None:
        lines.append(ctx.df.stages[fix.stage].from_.line)
    for line in lines:
        codes = _ignore_comment(ctx, line)
        if codes is not None and (not codes or fix.code in codes):
            return True
    return False


_IGNORE = re.compile(r"\s*#\s*xbuild:\s*ignore\s*=(.*)", re.I)


def check_ignore_comments(ctx: Context) -> None:
    """An ``# xbuild: ignore=`` comment naming a code no rule has is an error (a typo
    would otherwise silence nothing, silently). Comments inside an instruction (a
    heredoc body, a continuation) are not directives and are skipped."""
    from xbuild.settings import unknown_codes

    inside: set[int] = set()
    for ins in ctx.df.instructions:
        inside.update(range(ins.start_line + 1, ins.end_line + 1))
    if "xbuild" not in ctx.df.text.lower():
        return
    for number, line in enumerate(ctx.df.text.split("\n"), 1):
        if number in inside:
            continue
        m = _IGNORE.match(line)
        if m is None:
            continue
        problem = unknown_codes(m.group(1).strip())
        if problem is not None:
            raise XBuildError(f"# xbuild: ignore= names an {problem}", path=ctx.df.path,
                              line=number)


def _ignore_comment(ctx: Context, line: int) -> set[str] | None:
    # instructions are in line order and never overlap: bisect, not a scan per fix
    instructions = ctx.df.instructions
    k = bisect.bisect_right(instructions, line, key=lambda i: i.start_line)
    ins = instructions[k - 1] if k else None
    if ins is None or not ins.start_line <= line <= ins.end_line:
        return None
    text = ctx.df.text
    end = ctx.df.line_start(ins.start)
    codes: set[str] | None = None
    while end > 0:
        start = ctx.df.line_start(end - 1)
        content = text[start:end].strip()
        if not content.startswith("#"):
            break
        body = content[1:].strip()
        if body.lower().startswith("xbuild:"):
            directive = body[len("xbuild:"):].strip()
            if directive.lower().startswith("ignore"):
                rest = directive[len("ignore"):].strip()
                codes = set()
                if rest.startswith("="):
                    codes = {c.strip().upper() for c in rest[1:].split(",") if c.strip()}
        end = start
    return codes


def _reports(ctx: Context, plans: Plans, fixes: list[Fix]) -> list[StageReport]:
    from xbuild.plan import kept_blockers

    out = []
    g = ctx.graph
    by_stage: dict[int | None, list[Fix]] = {}  # one pass, not all fixes per stage
    for f in fixes:
        by_stage.setdefault(f.stage, []).append(f)
    for st in ctx.df.stages:
        p = plans[st.index]
        reasons = [f"line {line}: {text}" for line, text in p.reasons]
        action = p.action
        if action == KEPT:
            if st.index == g.exported.index:
                reasons.append("exported image: stays on the target platform")
            elif st.index not in g.feeds:
                reasons.append(f"not needed by the exported stage `{g.exported.label}`")
            elif g.on_build_platform(st.index):
                reasons.append("already on $BUILDPLATFORM")
            else:
                held = kept_blockers(ctx, st.index)
                reasons.append("compiles nothing xbuild rewrites" if held else "compiles nothing")
                reasons.extend(f"line {line}: stays on the target platform: {text}"
                               for line, text in held)
        elif action == MOVED:
            if p.move_root:
                reasons.insert(0, "asset stage: runs on $BUILDPLATFORM" if p.asset
                               else "runs on $BUILDPLATFORM and cross-compiles for the target")
            else:
                root = ctx.df.stages[g.root(st.index)].label
                reasons.insert(0, f"built FROM `{root}`: runs on $BUILDPLATFORM with it")
        elif action == ALREADY:
            reasons.append("already cross-compiles")
        for f in by_stage.get(st.index, ()):
            if f.edits and action in (MOVED, REWRITTEN):
                reasons.append(f"line {f.line}: fixed {f.code}: {f.message}")
        out.append(StageReport(st.index, st.label, st.from_.line, action, reasons))
    return out
