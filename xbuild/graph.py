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
from xbuild.model import Dockerfile, Stage, unquote

_VAR = re.compile(r"\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?:(:?[-+])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))")
# Values BuildKit sets for the automatic platform ARGs; unknown until build time.
AUTOMATIC_ARGS = frozenset({
    "BUILDPLATFORM", "BUILDOS", "BUILDARCH", "BUILDVARIANT",
    "TARGETPLATFORM", "TARGETOS", "TARGETARCH", "TARGETVARIANT", "TARGETSTAGE",
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

    def root(self, index: int) -> int:
        while index in self.parent:
            index = self.parent[index]
        return index

    def chain(self, index: int) -> list[int]:
        """The stage and its FROM ancestors, nearest first."""
        out = [index]
        while index in self.parent:
            index = self.parent[index]
            out.append(index)
        return out

    def children(self, index: int) -> list[int]:
        """Stages whose FROM chain passes through ``index`` (all descendants)."""
        return [s.index for s in self.df.stages
                if s.index != index and index in self.chain(s.index)]

    def consumers(self, index: int) -> list[tuple[int, int]]:
        """(stage, instruction index) of every COPY --from / mount from ``index``."""
        return [(dst, ins) for dst, srcs in self.sources.items() for src, ins in srcs
                if src == index]

    def on_build_platform(self, index: int) -> bool:
        """Whether the stage's root is put on the build platform."""
        plat = self.df.stages[self.root(index)].platform
        return plat is not None and "BUILDPLATFORM" in plat

    def in_exported_chain(self, index: int) -> bool:
        return index in self.chain(self.exported.index)


def build_graph(df: Dockerfile, target: str | None = None) -> Graph:
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
                for mount in ins.flag_mounts:
                    for part in mount.split(","):
                        k, _, v = part.partition("=")
                        if k.strip().lower() == "from" and v:
                            refs.append(v.strip())
            for ref in refs:
                src = _stage_ref(expand(ref, global_env), names, st.index)
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


def _stage_ref(ref: str, names: dict[str, int], current: int) -> int | None:
    """The stage a ``--from`` value names, or None for an external image."""
    key = ref.lower()
    if key in names and names[key] < current:
        return names[key]
    if ref.isdigit() and int(ref) < current:
        return int(ref)
    return None
