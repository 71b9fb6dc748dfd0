"""The adversarial suite's case format and its one check (issue 10).

A case is a short Dockerfile with the outcome a *sound* xbuild must give it, and
why. Every case goes through ``convert()``, the path the CLI takes. A failure
message starts with a tag, so a run can be triaged at a glance:

- ``UNSAFE:``   a stage moved that must not, or moved without what makes it build
                for the target (``contains``), or with what must not be there
                (``absent``), or a file that must stay unchanged changed with a move;
- ``MISSED:``   a stage that should move was left where it was;
- ``REASON:``   refused, but the reason does not say why (``reason`` not found);
- ``CHANGED:``  the file should be unchanged and is not (no stage moved);
- ``OUTPUT:``   a moved output that does not converge or that BuildKit rejects;
- ``CRASH:``    convert raised.
"""

from __future__ import annotations

import re
import tempfile
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping

import pytest

from xbuild.convert import convert
from xbuild.result import MOVED, REWRITTEN, Result, StageReport
from xbuild.settings import make_options

HAZARDS = ("unknown_steps", "artifacts", "author_settings", "arch_queries", "runs_built",
           "context", "convertible")
EXPECTS = ("moved", "refused", "unchanged", "safe")
# what a moved stage's output must hold, shared by the hazard files
GO_CROSS = r"re:GOARCH=\$\{?TARGETARCH\b|xx-go "  # Go compiles for the target
RUST_TARGET_BUILD = r"re:xx-cargo build|cargo build[^\n]*--target"  # cargo compiles for it


@dataclass(frozen=True, eq=False)
class Case:
    id: str  # short, says why: "go-then-script-builds-so"
    hazard: str  # one of HAZARDS
    dockerfile: str  # dedented on construction
    # "moved" | "refused" | "unchanged" | "safe" (either moved with contains/absent
    # holding, or refused; for cases where the issue accepts both)
    expect: str
    stage: str | None = None  # alias or index text; None: every stage a later one uses, but
    #                           not the exported stage nor the stages it is built FROM
    reason: str = ""  # refused: case-insensitive substring (re:... a regex) of its reasons
    contains: tuple[str, ...] = ()  # moved: strings the output must contain (re:... a regex)
    absent: tuple[str, ...] = ()  # strings the output must not contain
    files: Mapping[str, str] = field(default_factory=dict)  # project files -> the build context
    options: Mapping[str, str] = field(default_factory=dict)  # make_options kwargs (target, ...)

    def __post_init__(self) -> None:
        object.__setattr__(self, "dockerfile", textwrap.dedent(self.dockerfile).lstrip("\n"))
        assert self.hazard in HAZARDS, self.hazard
        assert self.expect in EXPECTS, self.expect
        assert self.expect != "refused" or self.reason, f"{self.id}: a refusal needs a reason"
        assert isinstance(self.contains, tuple) and isinstance(self.absent, tuple), self.id


def run(case: Case, text: str | None = None) -> Result:
    text = case.dockerfile if text is None else text
    opts = dict(case.options)
    if not case.files:
        return convert(text, "Dockerfile", make_options("Dockerfile", **opts))
    with tempfile.TemporaryDirectory(prefix="xbuild-adv-") as tmp:
        for rel, body in case.files.items():
            p = Path(tmp, rel)
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_text(textwrap.dedent(body).lstrip("\n"), encoding="utf-8")
        Path(tmp, "Dockerfile").write_text(text, encoding="utf-8")
        return convert(text, str(Path(tmp, "Dockerfile")),
                       make_options("Dockerfile", context=tmp, **opts))


def _buildkit(text: str):
    import dockerfile

    return dockerfile.parse_string(text)


def _froms(text: str) -> list:
    return [c for c in _buildkit(text) if c.cmd == "FROM"]


def _stage_names(froms: list) -> list[str]:
    out = []
    for i, f in enumerate(froms):
        v = list(f.value)
        out.append(v[2] if len(v) == 3 and v[1].lower() == "as" else str(i))
    return out


def used_stages(case: Case) -> list[str]:
    """Stages a later stage uses (COPY --from, RUN --mount from=, FROM <stage>), minus
    the exported stage and the stages it is built FROM (their filesystem ships)."""
    cmds = _buildkit(case.dockerfile)
    froms = [c for c in cmds if c.cmd == "FROM"]
    names = _stage_names(froms)
    lower = {n.lower(): n for n in names}

    def ref(x: str) -> str | None:
        return lower.get(x.lower()) or (names[int(x)] if x.isdigit() and int(x) < len(names)
                                        else None)

    used: set[str] = set()
    parent: dict[str, str] = {}
    k = -1
    for c in cmds:
        if c.cmd == "FROM":
            k += 1
            p = ref(c.value[0])
            if p is not None:
                used.add(p)
                parent[names[k]] = p
            continue
        for flag in c.flags:
            if flag.lower().startswith("--from="):
                x = ref(flag.split("=", 1)[1])
            elif flag.lower().startswith("--mount="):
                opts = dict(kv.split("=", 1) for kv in flag[8:].split(",") if "=" in kv)
                x = ref(opts.get("from", ""))
            else:
                continue
            if x is not None:
                used.add(x)
    exported = case.options.get("target") or names[-1]
    shipped = {exported}
    while exported in parent:
        exported = parent[exported]
        shipped.add(exported)
    return [n for n in names if n in used and n not in shipped]


def _report(result: Result, name: str) -> StageReport:
    for r in result.stages:
        if r.name.lower() == name.lower() or str(r.index) == name:
            return r
    raise AssertionError(f"no stage {name!r} in {[r.name for r in result.stages]}")


def _show(r: StageReport) -> str:
    return f"stage `{r.name}` {r.action}: " + " | ".join(r.reasons)


class Failure(Exception):
    """What is wrong with a case's outcome; the message starts with its tag."""


def check(case: Case) -> None:
    """The pytest check: fail with the tagged message, no traceback."""
    message = verdict(case)
    if message is not None:
        pytest.fail(message, pytrace=False)


def verdict(case: Case) -> str | None:
    """None when xbuild does what the case expects, else the tagged failure message."""
    try:
        _verdict(case)
    except Failure as exc:
        return str(exc)
    return None


def _verdict(case: Case) -> None:
    try:
        result = run(case)
    except Exception as exc:  # noqa: BLE001 - any exception is the finding
        raise Failure(f"CRASH: {type(exc).__name__}: {exc}") from None
    moved = [r for r in result.stages if r.action in (MOVED, REWRITTEN)]
    out = result.text
    if case.expect == "unchanged":
        if out != case.dockerfile:
            tag = "UNSAFE" if moved else "CHANGED"
            raise Failure(f"{tag}: expected unchanged; " + "; ".join(_show(r) for r in moved or
                        result.stages) + f"\n--- output ---\n{out}")
        return
    names = [case.stage] if case.stage is not None else used_stages(case)
    assert names, f"{case.id}: no stage to check"
    in_froms, out_froms = _froms(case.dockerfile), _froms(out)
    for name in names:
        r = _report(result, name)
        did_move = r.action in (MOVED, REWRITTEN)
        if case.expect == "refused" or (case.expect == "safe" and not did_move):
            if did_move or out_froms[r.index].original != in_froms[r.index].original:
                raise Failure(f"UNSAFE: must not move ({case.reason or 'see case'}); {_show(r)}"
                            f"\n--- output ---\n{out}")
            if case.reason and not _has(" ".join(r.reasons), case.reason, fold=True):
                raise Failure(f"REASON: refused without {case.reason!r}; {_show(r)}")
            continue
        if not did_move:
            raise Failure(f"MISSED: should move; {_show(r)}")
    if case.expect in ("moved", "safe") and any(
            _report(result, n).action in (MOVED, REWRITTEN) for n in names):
        _check_output(case, result)
    elif case.absent:
        _check_absent(case, out)


def _check_absent(case: Case, out: str) -> None:
    for s in case.absent:
        if _has(out, s) and not _has(case.dockerfile, s):
            raise Failure(f"UNSAFE: output has {s!r}\n--- output ---\n{out}")


def _has(text: str, pattern: str, fold: bool = False) -> bool:
    """``pattern`` in ``text``; ``re:...`` is a regular expression (multiline);
    ``fold``: case-insensitive."""
    flags = re.M | (re.I if fold else 0)
    if pattern.startswith("re:"):
        return re.search(pattern[3:], text, flags) is not None
    return pattern.lower() in text.lower() if fold else pattern in text


def _check_output(case: Case, result: Result) -> None:
    out = result.text
    for s in case.absent:
        if _has(out, s):
            raise Failure(f"UNSAFE: moved, but the output has {s!r}\n--- output ---\n{out}")
    for s in case.contains:
        if not _has(out, s):
            raise Failure(f"UNSAFE: moved, but the output lacks {s!r}\n--- output ---\n{out}")
    again = run(case, out)
    if again.text != out:
        raise Failure(f"OUTPUT: a second convert changed it\n--- first ---\n{out}"
                    f"\n--- second ---\n{again.text}")
    try:
        _buildkit(out)
    except Exception as exc:  # noqa: BLE001
        raise Failure(f"OUTPUT: BuildKit rejects it: {exc}\n--- output ---\n{out}")


KNOWN = Path(__file__).with_name("known_failures.txt")


def known_failures() -> dict[str, str]:
    """id -> tagged first line, for the cases today's code is known to fail."""
    out = {}
    for line in KNOWN.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            cid, _, why = line.partition(" ")
            out[cid] = why.strip()
    return out


def params(cases: list[Case]) -> list:
    """``cases`` for parametrize, each with its id; a known failure is a strict xfail
    (so fixing it turns the run red until its line leaves known_failures.txt).
    ``pytest --runxfail tests/adversarial`` shows every failure in full."""
    known = known_failures()
    ids = [c.id for c in cases]
    assert len(set(ids)) == len(ids), "duplicate case ids"
    return [pytest.param(c, id=c.id, marks=[pytest.mark.xfail(strict=True, reason=known[c.id])]
                         if c.id in known else []) for c in cases]


def all_cases() -> list[Case]:
    """Every case of every hazard file, in file order."""
    import importlib

    out: list[Case] = []
    for p in sorted(Path(__file__).parent.glob("test_*.py")):
        out += getattr(importlib.import_module(f"tests.adversarial.{p.stem}"), "CASES", [])
    return out


def _rewrite_known() -> None:
    """Record today's failures: ``python -m tests.adversarial.harness``."""
    lines = ["# Adversarial cases today's code fails: id, then the failure's first line.",
             "# Regenerate: python -m tests.adversarial.harness (review the diff)."]
    for c in all_cases():
        message = verdict(c)
        if message is not None:
            lines.append(f"{c.id} {message.splitlines()[0].split(' | ')[0][:140]}")
    KNOWN.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(lines) - 2} known failures written to {KNOWN}")


if __name__ == "__main__":
    _rewrite_known()
