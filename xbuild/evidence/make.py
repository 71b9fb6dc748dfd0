"""Makefiles and scripts: the shell lines a ``make`` target runs.

Why it matters: ``RUN make`` hides the compile. Moving such a stage is sound
only when the recipe is known and passes the target environment through
(``xbuild.evidence.classify``). This reads GNU make's common subset: simple
variables (``=``, ``:=``, ``::=``, ``?=``, ``+=``, with ``export``/``override``),
rules with prerequisites (followed ``depth`` levels), ``$@ $< $^``, ``$(MAKE)
target`` in the same Makefile. Anything else that matters is never guessed:
the result is ``unknown`` with the reason (no such target, a rule or a
variable inside ``ifeq``/``include``, a pattern rule, ``.RECIPEPREFIX``), or the
expression is kept verbatim in the line and listed in ``unresolved``
(``$(shell git describe)``, a variable set by ``!=`` or ``define``).

A variable the Makefile does not set is make's environment variable: it is
written ``${NAME}`` in the line (the shell sees the same environment) and
listed in ``env``; a ``NAME ?= value`` one is ``${NAME-value}`` (the
environment wins). Command-line ``variables`` (``make GOARCH=arm64``) win over
the Makefile, as in make.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace

from xbuild.buildcontext import BuildContext
from xbuild.evidence.makefile import MAKEFILES, Makefile, Var, default_goal, parse_makefile

_MAKE_CALL = re.compile(r"^(?:\$\(MAKE\)|\$\{MAKE\}|make)((?:\s+[\w.\-/]+)*)\s*$")


@dataclass(frozen=True)
class Recipe:
    """What ``make [target]`` runs: shell lines in run order (prerequisites first)."""

    file: str | None  # the Makefile read (relative), None when there is none
    target: str | None
    lines: tuple[str, ...] = ()
    unknown: str = ""  # why the recipe cannot be known; "" when it is
    unresolved: tuple[str, ...] = ()  # make expressions kept verbatim in ``lines``
    env: tuple[str, ...] = ()  # variables taken from the environment (``${NAME}``)
    variables: tuple[Var, ...] = ()  # the Makefile's own assignments

    @property
    def known(self) -> bool:
        return not self.unknown



_AUTOMATIC = {"@", "<", "^", "+", "?", "*", "|"}
_BUILTIN = {"MAKE": "make", "SHELL": "/bin/sh", "MAKEFLAGS": "", "MAKECMDGOALS": ""}


class _Expander:
    """Expands make references in one recipe; collects what it could not resolve."""

    def __init__(self, mk: Makefile, overrides: dict[str, str]) -> None:
        self.mk, self.overrides = mk, overrides
        self.unresolved: list[str] = []
        self.env: list[str] = []
        self.is_file: Callable[[str], bool] = lambda name: True

    def expand(self, s: str, auto: dict[str, str], depth: int = 0) -> str:
        out: list[str] = []
        i = 0
        while i < len(s):
            ch = s[i]
            if ch != "$" or i + 1 >= len(s):
                out.append(ch)
                i += 1
                continue
            nxt = s[i + 1]
            if nxt == "$":
                out.append("$")
                i += 2
            elif nxt in "({":
                end = _closing(s, i + 1)
                if end < 0:
                    self._unresolved(s[i:])
                    out.append(s[i:])
                    break
                out.append(self._ref(s[i + 2:end], s[i:end + 1], auto, depth))
                i = end + 1
            else:
                out.append(self._ref(nxt, s[i:i + 2], auto, depth))
                i += 2
        return "".join(out)

    def _unresolved(self, expr: str) -> str:
        if expr not in self.unresolved:
            self.unresolved.append(expr)
        return expr

    def _ref(self, name: str, verbatim: str, auto: dict[str, str], depth: int) -> str:
        if name in auto:
            return auto[name]
        if name in _AUTOMATIC or not re.fullmatch(r"[\w.\-]+", name) or depth > 10:
            return self._unresolved(verbatim)  # $(shell ...), $(@D), $(patsubst ...), $*
        if name in self.overrides:
            return self.overrides[name]
        var = self.mk.vars.get(name)
        if var is None:
            if name in _BUILTIN:
                return _BUILTIN[name]
            if name not in self.env:
                self.env.append(name)
            return "${" + name + "}"
        if var.conditional or var.op in ("!=", "define"):
            return self._unresolved(verbatim)
        value = self.expand(var.value, auto, depth + 1)
        if var.op == "?=":
            if name not in self.env:
                self.env.append(name)
            return "${" + name + "-" + value + "}"
        return value


def _closing(s: str, open_at: int) -> int:
    pair = {"(": ")", "{": "}"}[s[open_at]]
    level = 0
    for j in range(open_at, len(s)):
        if s[j] == s[open_at]:
            level += 1
        elif s[j] == pair:
            level -= 1
            if level == 0:
                return j
    return -1


def _strip_prefix(line: str) -> str:
    line = line.strip()
    while line[:1] in ("@", "-", "+") and line:
        line = line[1:].lstrip()
    return line


def find_makefile(ctx: BuildContext, directory: str = "") -> str | None:
    """The Makefile ``make`` reads in ``directory`` (relative to the context root)."""
    base = directory.strip("/")
    for name in MAKEFILES:
        rel = f"{base}/{name}" if base and base != "." else name
        if ctx.read(rel) is not None:
            return rel
    return None


def make_recipe(ctx: BuildContext, target: str | None = None, *, directory: str = "",
                makefile: str | None = None, variables: dict[str, str] | None = None,
                depth: int = 2) -> Recipe:
    """The shell lines ``make [-f makefile] [target] [VAR=value...]`` runs in ``directory``.

    ``target`` None: the default goal. Prerequisites that have rules are
    followed ``depth`` levels (one deeper is ``unknown``); prerequisites with no
    rule are source files. ``$(MAKE) other`` in a recipe is followed the same way.
    """
    rel = makefile or find_makefile(ctx, directory)
    text = ctx.read(rel) if rel else None
    if rel is None or text is None:
        where = directory or "the context root"
        why = "the view is partial" if ctx.partial else "there is none"
        return Recipe(rel, target, unknown=f"no Makefile in {where} ({why})")
    mk = parse_makefile(text, rel)
    goal = target or default_goal(mk)
    base = Recipe(rel, goal, variables=tuple(mk.vars.values()))
    if mk.problems:
        return _with(base, unknown=f"{rel}: {mk.problems[0]}")
    if goal is None:
        return _with(base, unknown=f"{rel} has no target")
    ex = _Expander(mk, dict(variables or {}))
    lines: list[str] = []
    folder = rel.rsplit("/", 1)[0] + "/" if "/" in rel else ""
    ex.is_file = lambda name: ctx.exists(folder + name)
    why = _visit(mk, goal, 0, depth, ex, lines, set())
    return Recipe(rel, goal, tuple(lines), why, tuple(ex.unresolved), tuple(ex.env),
                  tuple(mk.vars.values()))


def _with(recipe: Recipe, unknown: str) -> Recipe:
    return replace(recipe, unknown=unknown)


def _visit(mk: Makefile, target: str, level: int, depth: int, ex: _Expander,
           lines: list[str], seen: set[str]) -> str:
    """Append ``target``'s recipe (after its prerequisites'); return why it is unknown."""
    if target in seen:
        return ""
    seen.add(target)
    rule = mk.rules.get(target)
    if rule is None:
        if mk.patterns or mk.includes:
            return (f"{mk.path}: no explicit rule for {target!r}"
                    + (" (it may come from an included file)" if mk.includes else
                       " (a pattern rule may build it)"))
        return f"{mk.path}: no rule for {target!r}"
    if rule.conditional:
        return f"{mk.path}:{rule.line}: the rule for {target!r} is inside a conditional"
    auto = {"@": target, "<": rule.prereqs[0] if rule.prereqs else "",
            "^": " ".join(dict.fromkeys(rule.prereqs)), "+": " ".join(rule.prereqs)}
    expanded = ex.expand(" ".join(rule.prereqs), auto)
    for expr in ex.unresolved:
        expanded = expanded.replace(expr, " ")  # $(wildcard *.go), $(shell find ...): sources
    for pre in expanded.split():
        if pre in mk.rules:
            if level + 1 > depth:
                return f"{mk.path}: {target!r} needs {pre!r}, nested deeper than {depth} levels"
            why = _visit(mk, pre, level + 1, depth, ex, lines, seen)
            if why:
                return why
        elif mk.patterns and "." in pre.rsplit("/", 1)[-1] and any(
                pre.endswith(p.split("%", 1)[1]) for p in mk.patterns if "%" in p):
            return f"{mk.path}: {pre!r} is built by a pattern rule"
        elif not ex.is_file(pre):
            return (f"{mk.path}: no rule for {pre!r} and no such file"
                    + (" (it may come from an included file)" if mk.includes else ""))
    for raw in rule.recipe:
        line = ex.expand(_strip_prefix(raw), auto)
        call = _MAKE_CALL.match(line)
        if call and call.group(1).strip() and all(t in mk.rules for t in call.group(1).split()):
            for sub in call.group(1).split():
                if level + 1 > depth:
                    return f"{mk.path}: {target!r} runs make {sub}, nested deeper than {depth} levels"
                why = _visit(mk, sub, level + 1, depth, ex, lines, seen)
                if why:
                    return why
            continue
        if line:
            lines.append(line)
    return ""


def script_text(ctx: BuildContext, path: str) -> str | None:
    """The text of the script ``path`` (``./build.sh``, ``scripts/ci.sh``: relative to
    the context root; an absolute path is the image's, not the context's: None)
    when it is in the view, else None."""
    if path.startswith("/"):
        return None
    return ctx.read(path)
