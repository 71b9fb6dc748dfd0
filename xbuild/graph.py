"""The stage graph: which stage derives from, copies from or mounts which.

BuildKit facts this follows (https://docs.docker.com/reference/dockerfile/#from):
- stage names are matched case-insensitively;
- ``FROM <stage>`` inherits that stage's platform and BuildKit ignores a
  ``--platform`` on it, so a platform change belongs on the chain's *root*;
- ``COPY --from=`` takes a stage name, a stage index or an image;
- ``RUN --mount=...,from=<stage>`` reads a stage too;
- ``FROM ${VAR}`` is expanded with global ARG defaults (we do it for analysis
  only; the text keeps the variable).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from xbuild.errors import EXIT_USAGE, XBuildError
from xbuild.model import Dockerfile, Instruction, Stage, unquote
from xbuild.mounts import mounts

_VAR = re.compile(r"\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))")
# Values BuildKit sets for the automatic platform ARGs; unknown until build time.
AUTOMATIC_ARGS = frozenset({
    "BUILDPLATFORM", "BUILDOS", "BUILDARCH", "BUILDVARIANT",
    "TARGETPLATFORM", "TARGETOS", "TARGETARCH", "TARGETVARIANT", "TARGETSTAGE",
})
# Every instruction BuildKit knows (instructions.ParseInstruction); any other
# keyword fails the build with "unknown instruction".
INSTRUCTIONS = frozenset({
    "ADD", "ARG", "CMD", "COPY", "ENTRYPOINT", "ENV", "EXPOSE", "FROM", "HEALTHCHECK", "LABEL",
    "MAINTAINER", "ONBUILD", "RUN", "SHELL", "STOPSIGNAL", "USER", "VOLUME", "WORKDIR",
})


def expand(value: str, env: dict[str, str | None]) -> str:
    """Expand ``$X``, ``${X}``, ``${X:-d}``, ``${X-d}``, ``${X:+a}``, ``${X+a}``.

    ``env`` maps a name to its value, or None for "declared without a value".
    Unknown names expand to the empty string, as BuildKit does.
    """

    def sub(m: re.Match[str]) -> str:
        name = m.group(1) or m.group(4)
        op, word = m.group(2), m.group(3)
        val = env.get(name)
        is_set = name in env and val is not None
        if op is None:
            return val or ""
        if op == ":-":
            return val if val else expand(word, env)
        if op == "-":
            return val if is_set else expand(word, env)  # type: ignore[return-value]
        if op == ":+":
            return expand(word, env) if val else ""
        return expand(word, env) if is_set else ""

    return _VAR.sub(sub, value)


def arg_pairs(value: str) -> list[tuple[str, str | None]]:
    """``ARG A B=1 C="x y"`` -> [("A", None), ("B", "1"), ("C", "x y")]."""
    from xbuild.model import split_words

    out: list[tuple[str, str | None]] = []
    for w in split_words(value):
        name, eq, default = w.value.partition("=")
        out.append((name, unquote(default) if eq else None))
    return out


@dataclass
class Graph:
    df: Dockerfile
    exported: Stage
    parent: dict[int, int]  # stage index -> stage it is FROM
    sources: dict[int, list[tuple[int, int]]]  # stage -> [(source stage, instruction index)]
    resolved_base: dict[int, str]  # stage index -> base with global ARGs expanded
    feeds: set[int] = field(default_factory=set)  # stages the exported stage needs
    # Lookups derived from parent/sources (fixed once built), computed on first
    # use: per-call walks made plan() quadratic in the number of stages.
    _roots: dict[int, int] = field(default_factory=dict, repr=False, compare=False)
    _kids: dict[int, list[int]] | None = field(default=None, repr=False, compare=False)
    _users: dict[int, list[tuple[int, int]]] | None = field(default=None, repr=False,
                                                            compare=False)
    _exported_chain: frozenset[int] | None = field(default=None, repr=False, compare=False)

    def root(self, index: int) -> int:
        found = self._roots.get(index)
        if found is None:
            found = index
            while found in self.parent:
                found = self.parent[found]
            self._roots[index] = found
        return found

    def chain(self, index: int) -> list[int]:
        """The stage and its FROM ancestors, nearest first."""
        out = [index]
        while index in self.parent:
            index = self.parent[index]
            out.append(index)
        return out

    def children(self, index: int) -> list[int]:
        """Stages whose FROM chain passes through ``index`` (all descendants), in order."""
        if self._kids is None:
            self._kids = {}
            for child, par in self.parent.items():
                self._kids.setdefault(par, []).append(child)
        out: list[int] = []
        todo = list(self._kids.get(index, ()))
        while todo:  # parent[i] < i always, so this is a tree walk and ends
            i = todo.pop()
            out.append(i)
            todo.extend(self._kids.get(i, ()))
        return sorted(out)

    def consumers(self, index: int) -> list[tuple[int, int]]:
        """(stage, instruction index) of every COPY --from / mount from ``index``."""
        if self._users is None:
            self._users = {}
            for dst, srcs in self.sources.items():
                for src, ins in srcs:
                    self._users.setdefault(src, []).append((dst, ins))
        return list(self._users.get(index, ()))

    def on_build_platform(self, index: int) -> bool:
        """Whether the stage's root is put on the build platform."""
        plat = self.df.stages[self.root(index)].platform
        return plat is not None and "BUILDPLATFORM" in plat

    def in_exported_chain(self, index: int) -> bool:
        if self._exported_chain is None:
            self._exported_chain = frozenset(self.chain(self.exported.index))
        return index in self._exported_chain

    def declares_arg(self, index: int, ins: Instruction, name: str) -> bool:
        """``ARG <name>`` is in scope at ``ins`` (stage ``index`` before it, or an ancestor)."""
        for st_index in self.chain(index):
            for a in self.df.stages[st_index].instructions:
                if a.cmd == "ARG" and (st_index != index or a.index < ins.index) and any(
                        w.value.split("=", 1)[0] == name for w in a.words):
                    return True
        return False


def build_graph(df: Dockerfile, target: str | None = None) -> Graph:
    _check_instructions(df)
    stages = df.stages
    if not stages:
        first = df.instructions[0]
        raise XBuildError(f"no FROM instruction (first instruction is {first.keyword})",
                          path=df.path, line=first.line)
    global_env: dict[str, str | None] = {}
    for ins in df.global_args:
        for name, default in arg_pairs(ins.rest):
            global_env[name] = expand(default, global_env) if default is not None else None

    names: dict[str, int] = {}
    parent: dict[int, int] = {}
    resolved: dict[int, str] = {}
    for st in stages:
        base = expand(st.base, global_env)
        resolved[st.index] = base
        key = base.lower()
        if key in names:
            parent[st.index] = names[key]
        if st.name is not None:
            lname = st.name.lower()
            if lname in names:
                raise XBuildError(f"duplicate stage name {st.name!r} "
                                  f"(first used at line {stages[names[lname]].from_.line})",
                                  path=df.path, line=st.from_.line)
            names[lname] = st.index

    sources: dict[int, list[tuple[int, int]]] = {}
    for st in stages:
        for ins in st.instructions[1:]:
            refs: list[str] = []
            if ins.cmd in ("COPY", "ADD"):
                v = ins.flag_value("from")
                if v is not None:
                    refs.append(v)
            if ins.cmd == "RUN":
                refs += [m.options["from"] for m in mounts(ins) if m.options.get("from")]
            for ref in refs:
                src = _stage_ref(expand(ref, global_env), names, st.index,
                                 ins if ins.cmd == "COPY" else None, df)
                if src is not None:
                    sources.setdefault(st.index, []).append((src, ins.index))

    if target is None:
        exported = stages[-1]
    else:
        idx = names.get(target.lower())
        if idx is None:
            known = ", ".join(s.name for s in stages if s.name) or "none"
            raise XBuildError(f"--target {target!r}: no stage of that name (stages: {known})",
                              path=df.path, exit_code=EXIT_USAGE)
        exported = stages[idx]
    g = Graph(df, exported, parent, sources, resolved)
    # Everything the exported stage needs: its FROM chain and, transitively, sources.
    todo = [exported.index]
    while todo:
        i = todo.pop()
        if i in g.feeds:
            continue
        g.feeds.add(i)
        if i in parent:
            todo.append(parent[i])
        todo.extend(src for src, _ in sources.get(i, []))
    return g


def _check_instructions(df: Dockerfile) -> None:
    """What BuildKit's instructions.Parse rejects before any build starts: an
    unknown keyword, anything but ARG before the first FROM, a FROM that is not
    ``image`` or ``image AS name``, and ENV, ARG or LABEL without an argument.
    (Its parser, the PyPI ``dockerfile`` package, accepts all of these; the
    instruction layer rejects them with these messages.)"""
    seen_from = False
    for ins in df.instructions:
        if ins.cmd not in INSTRUCTIONS:
            raise XBuildError(f"unknown instruction: {ins.keyword}", path=df.path, line=ins.line)
        if ins.cmd == "FROM":
            seen_from = True
            args = [w.value for w in ins.words if not w.value.startswith("--")]
            if not (len(args) == 1 or (len(args) == 3 and args[1].lower() == "as")):
                raise XBuildError(f"{ins.keyword} requires either one or three arguments "
                                  "(FROM image [AS name])", path=df.path, line=ins.line)
        elif ins.cmd in ("ENV", "ARG", "LABEL") and not ins.words:
            raise XBuildError(f"{ins.keyword} requires at least one argument", path=df.path,
                              line=ins.line)
        elif not seen_from and ins.cmd != "ARG":
            raise XBuildError(f"{ins.keyword} before the first FROM (only ARG may come "
                              "before FROM)", path=df.path, line=ins.line)


def _stage_ref(ref: str, names: dict[str, int], current: int, copy: Instruction | None = None,
               df: Dockerfile | None = None) -> int | None:
    """The stage a ``--from`` value names, or None for an external image.

    BuildKit (dockerfile2llb toCommand / dispatch): a name that is no stage is
    an image; a number is a stage index and must exist; ``COPY --from`` can
    only read a stage defined *before* the current one. ``copy`` is the COPY
    instruction (None for RUN --mount, which BuildKit resolves by name only)."""
    key = ref.lower()
    if key in names and names[key] < current:
        return names[key]
    if ref.isdigit() and int(ref) < current:
        return int(ref)
    if copy is not None and df is not None:
        n = len(df.stages)
        if ref.isdigit() and int(ref) >= n:
            raise XBuildError(f"COPY --from={ref}: no stage {ref} (stages are numbered 0 to "
                              f"{n - 1})", path=df.path, line=copy.line)
        if ref.isdigit() or key in names:
            later = df.stages[int(ref) if ref.isdigit() else names[key]]
            what = "this stage" if later.index == current else f"stage `{later.label}` (line " \
                f"{later.from_.line})"
            raise XBuildError(f"COPY --from={ref} reads {what}; a stage can only copy from an "
                              "earlier one", path=df.path, line=copy.line)
    return None
