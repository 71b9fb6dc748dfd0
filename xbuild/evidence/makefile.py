"""Reading a Makefile: its variables and explicit rules (GNU make's common subset).

``parse_makefile`` records what ``xbuild.evidence.make`` needs and, in
``problems``, every construct that makes a recipe unknowable (``$(eval)``,
target-specific variables, an unterminated ``define``). Variables and rules
set inside ``ifeq``/``ifdef``/... are marked ``conditional``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

MAKEFILES = ("GNUmakefile", "makefile", "Makefile")  # the order GNU make tries
_ASSIGN = re.compile(r"^(?P<mods>(?:(?:export|override|private)\s+)*)(?P<name>[A-Za-z_.][\w.\-]*)"
                     r"\s*(?P<op>:::=|::=|:=|\?=|\+=|!=|=)\s*(?P<value>.*)$")
_RULE = re.compile(r"^(?P<targets>[^:=#\t][^:=#]*?)\s*(?P<colons>::?)(?![=:])\s*(?P<rest>.*)$")
_CONDITIONAL = re.compile(r"^(ifeq|ifneq|ifdef|ifndef)\b")


@dataclass(frozen=True)
class Var:
    name: str
    op: str  # = := ::= ?= += != define
    value: str
    line: int
    conditional: bool  # set inside ifeq/ifdef/... (its value depends on a condition)
    exported: bool


@dataclass
class Rule:
    prereqs: list[str]
    recipe: list[str]
    line: int
    conditional: bool


@dataclass
class Makefile:
    """The parts of one Makefile that ``make_recipe`` reads."""

    path: str
    vars: dict[str, Var] = field(default_factory=dict)
    rules: dict[str, Rule] = field(default_factory=dict)
    order: list[str] = field(default_factory=list)  # rule targets in file order
    patterns: list[str] = field(default_factory=list)  # pattern-rule targets (%.o)
    includes: bool = False
    problems: list[str] = field(default_factory=list)  # constructs that make results unknown



def _logical_lines(text: str) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []
    buf, start = "", 0
    for number, raw in enumerate(text.splitlines(), 1):
        if not buf:
            start = number
        if raw.endswith("\\"):
            buf += raw[:-1] + " "
            continue
        out.append((start, buf + raw))
        buf = ""
    if buf:
        out.append((start, buf))
    return out


def parse_makefile(text: str, path: str) -> Makefile:
    mk = Makefile(path)
    depth = 0
    in_define: str | None = None
    current: list[Rule] = []
    for number, line in _logical_lines(text):
        if in_define is not None:
            if line.strip() == "endef":
                mk.vars[in_define] = Var(in_define, "define", "", number, depth > 0, False)
                in_define = None
            continue
        if line.startswith("\t") and current:
            for rule in current:
                rule.recipe.append(line[1:])
            continue
        stripped = line.split("#", 1)[0].strip() if not line.startswith("\t") else ""
        if not stripped:
            continue
        word = stripped.split()[0]
        if _CONDITIONAL.match(stripped):
            depth += 1
            continue
        if word in ("else", "endif"):
            depth = max(0, depth - 1) if word == "endif" else depth
            continue
        if word in ("include", "-include", "sinclude"):
            mk.includes = True
            continue
        if word == "define" or stripped.startswith(("export define", "override define")):
            in_define = stripped.split()[-1].rstrip("=:?+")
            continue
        if word in ("vpath", "unexport") or stripped.startswith(("$(eval", "${eval")):
            if "eval" in word:
                mk.problems.append(f"line {number}: $(eval ...) defines rules at run time")
            continue
        m = _ASSIGN.match(stripped)
        if m:
            _assign(mk, m, number, depth > 0)
            current = []
            continue
        r = _RULE.match(stripped)
        if r:
            current = _add_rule(mk, r, number, depth > 0)
            continue
        if word == "export":
            continue  # `export NAME` / bare `export`: exports only
        current = []
    if in_define is not None:
        mk.problems.append(f"define {in_define} has no endef")
    return mk


def _assign(mk: Makefile, m: re.Match[str], number: int, conditional: bool) -> None:
    name, op, value = m.group("name"), m.group("op"), m.group("value").strip()
    old = mk.vars.get(name)
    exported = "export" in m.group("mods").split() or bool(old and old.exported)
    if op == "+=" and old is not None:
        value = f"{old.value} {value}".strip()
        op = old.op if old.op != "?=" else "="
        conditional = conditional or old.conditional
    if op == "?=" and old is not None and not old.conditional:
        return  # already set: ?= does nothing
    mk.vars[name] = Var(name, op, value, number, conditional, exported)


def _add_rule(mk: Makefile, r: re.Match[str], number: int, conditional: bool) -> list[Rule]:
    targets = r.group("targets").split()
    rest = r.group("rest")
    inline = None
    if ";" in rest:
        rest, inline = rest.split(";", 1)
    if re.match(r"^[A-Za-z_][\w]*\s*(?::?:?=|\?=|\+=)", rest):
        mk.problems.append(f"line {number}: target-specific variable for {' '.join(targets)}")
        return []
    prereqs = rest.replace("|", " ").split()
    rules: list[Rule] = []
    for t in targets:
        if "%" in t:
            mk.patterns.append(t)
            continue
        rule = mk.rules.get(t)
        if rule is None:
            rule = mk.rules[t] = Rule([], [], number, conditional)
            mk.order.append(t)
        rule.prereqs += prereqs
        rule.conditional = rule.conditional or conditional
        if inline is not None:
            rule.recipe.append(inline.strip())
        rules.append(rule)
    return rules


def default_goal(mk: Makefile) -> str | None:
    """``.DEFAULT_GOAL``, else the first target that is not special (``.PHONY``)."""
    goal = mk.vars.get(".DEFAULT_GOAL")
    if goal is not None and goal.value and "$" not in goal.value:
        return goal.value.split()[0]
    for t in mk.order:
        if not t.startswith(".") or "/" in t:
            return t
    return None
