"""Do the sources a build step compiles come from the build context?

Why it matters: evidence from the build context (no code generator in
CMakeLists.txt, no ``import "C"``) is about the context's files. It says nothing
about sources the Dockerfile fetches itself (``git clone``, a downloaded
archive, ``ADD https://...``). Then the analysis must treat the context as
silent ("cannot tell"), never as "none found". ``context_silence`` gives the
reason, or None when the context can speak for the step.
"""

from __future__ import annotations

import posixpath
import re

from xbuild.buildcontext import BuildContext
from xbuild.graph import Graph
from xbuild.model import Dockerfile, Instruction, unquote

# Fetching sources during the build: a VCS checkout, or a downloaded archive unpacked.
_VCS = re.compile(r"\b(?:git\s+clone|git\s+fetch|svn\s+(?:co|checkout|export)|hg\s+clone)\b")
_DOWNLOAD = re.compile(r"\b(?:curl|wget)\b")
_UNPACK = re.compile(r"\b(?:tar|unzip|bsdtar)\b|\.(?:tar(?:\.\w+)?|tgz|zip)\b")
_REMOTE = re.compile(r"^(?:https?://|git@|git://)", re.I)


def _fetches(df: Dockerfile, ins: Instruction) -> bool:
    if ins.cmd == "RUN":
        text = ins.logical + "".join(df.text[h.body_start:h.body_end] for h in ins.heredocs)
        return bool(_VCS.search(text) or (_DOWNLOAD.search(text) and _UNPACK.search(text)))
    if ins.cmd == "ADD":
        return any(_REMOTE.match(w.value) for w in ins.words if not w.value.startswith("--"))
    return False


def _sources(df: Dockerfile, graph: Graph, index: int) -> list[int]:
    """The stage chain of ``index`` and the stages it copies from (one level)."""
    out = list(graph.chain(index))
    for i in list(out):
        for ins in df.stages[i].instructions[1:]:
            ref = ins.flag_value("from") if ins.cmd in ("COPY", "ADD") else None
            if ref is not None:
                j = next((s.index for s in df.stages
                          if (s.name or "").lower() == ref.lower() or str(s.index) == ref), None)
                if j is not None and j < index:
                    out.extend(k for k in graph.chain(j) if k not in out)
    return out


def context_silence(df: Dockerfile, graph: Graph, index: int, before: Instruction) -> str | None:
    """Why the build context cannot speak for what ``before`` (in stage ``index``)
    builds: sources fetched earlier in the stage chain or in a stage it copies from.
    None: nothing is fetched, so the sources can only be the context's (or the
    base image's)."""
    for i in _sources(df, graph, index):
        for ins in df.stages[i].instructions[1:]:
            if i == index and ins.start >= before.start:
                break
            if _fetches(df, ins):
                return (f"line {ins.line} fetches sources during the build, which the build "
                        "context does not show")
    return None


def _copy_args(ins: Instruction) -> list[str] | None:
    """The source and destination words of a shell-form COPY/ADD (None: exec form or
    a variable in a path, which this cannot follow)."""
    words = [unquote(w.value) for w in ins.words if not w.value.startswith("--")]
    if not words or words[0].startswith("[") or any("$" in w for w in words):
        return None
    return words


def context_dir(df: Dockerfile, graph: Graph, index: int, before: Instruction,
                view: BuildContext | None = None) -> str | None:
    """The build-context folder (relative; "" is the root) that ``before`` runs in,
    when the stage copied it there: ``WORKDIR /src`` + ``COPY . .`` gives "";
    ``COPY api/ /app`` + ``WORKDIR /app/cmd`` gives "api/cmd". None when it cannot
    be told (no such copy, several sources, variables, exec form). ``view`` tells a
    folder source written without a trailing ``/`` (``COPY api /app``)."""
    workdir = "/"
    copies: list[tuple[str, str | None]] = []  # (container folder, context folder or unknown)
    for i in reversed(graph.chain(index)):  # the root stage first
        for ins in df.stages[i].instructions[1:]:
            if i == index and ins.start >= before.start:
                break
            if ins.cmd == "WORKDIR":
                arg = unquote(ins.logical.split(None, 1)[1].strip()) if " " in ins.logical else ""
                if not arg or "$" in arg:
                    return None
                workdir = posixpath.normpath(posixpath.join(workdir, arg))
            elif ins.cmd in ("COPY", "ADD") and ins.flag_value("from") is None:
                args = _copy_args(ins)
                if args is None or len(args) < 2:
                    return None
                dest = posixpath.normpath(posixpath.join(workdir, args[-1]))
                src = args[0].rstrip("/") if len(args) == 2 else None
                folder = src in ("", ".") or args[0].endswith("/") or (
                    view is not None and src is not None and view.exists(src)
                    and src not in view.files())
                copies.append((dest, posixpath.normpath(src or ".")
                               if src is not None and folder else None))
    for dest, src in reversed(copies):
        if workdir == dest or workdir.startswith(dest.rstrip("/") + "/"):
            if src is None:
                return None
            joined = posixpath.normpath(posixpath.join(src, posixpath.relpath(workdir, dest)))
            return "" if joined == "." else joined
    return None
