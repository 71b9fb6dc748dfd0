"""A read-only, bounded view of a build context (the folder ``docker build`` sends).

``BuildContext.open(root)`` lists the files Docker would send, minus what never
helps the analysis: ``.dockerignore``d paths (Docker's rules, see
``xbuild.dockerignore``), the folders in ``SKIP_DIRS`` at any depth, symbolic
links to directories (never followed: no cycles) and links that resolve outside
the root (Docker sends the link, not its target, so what it points at is not
part of the build). Reading is bounded: at most ``MAX_ENTRIES`` directory
entries are walked, ``read`` returns at most ``MAX_FILE_BYTES`` per file and
``MAX_TOTAL_BYTES`` over the view's life. Past a bound the view stops and says
so (``partial`` and ``partial_why``); it never raises on a file it cannot read.
Nothing here writes, runs or follows anything outside ``root``.

``default_context(dockerfile)`` decides what ``convert``/``check`` read when no
``--context`` is given; see its docstring and docs/context.md.
"""

from __future__ import annotations

import itertools
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field

from xbuild.dockerignore import IgnoreRules

# Folders that are never read: VCS data, installed dependencies, build output.
SKIP_DIRS = frozenset({".git", "node_modules", "target"})
# Directory entries (files and folders) walked before the listing stops.
MAX_ENTRIES = 20_000
# Largest file ``read`` returns (a lockfile of a large npm project is ~1-2 MB).
MAX_FILE_BYTES = 2 * 1024 * 1024
# Total bytes ``read`` returns over the life of one view.
MAX_TOTAL_BYTES = 32 * 1024 * 1024

# Files whose presence at the top of a folder says "this folder is a project".
PROJECT_MARKERS = ("go.mod", "Cargo.toml", "CMakeLists.txt", "meson.build", "configure.ac",
                   "configure.in", "configure", "Makefile", "makefile", "GNUmakefile",
                   "package.json", "build.go", "build.sh", "pyproject.toml", "setup.py",
                   ".dockerignore", ".git")


@dataclass
class BuildContext:
    """The files of one build context. Paths are relative, with ``/`` separators."""

    root: str
    rules: IgnoreRules = field(default_factory=IgnoreRules)
    _files: tuple[str, ...] | None = None
    _why: list[str] = field(default_factory=list)
    _read_total: int = 0
    _real_root: str = ""

    @classmethod
    def open(cls, root: str, dockerfile: str | None = None) -> "BuildContext":
        """The view of ``root``; ``.dockerignore`` from ``<dockerfile>.dockerignore``
        (BuildKit's per-Dockerfile file) when it exists, else ``root/.dockerignore``.
        ``root`` must be a directory (callers validate user input first)."""
        ctx = cls(root=os.path.abspath(root))
        ctx._real_root = os.path.realpath(ctx.root)
        candidates = [os.path.join(ctx.root, ".dockerignore")]
        if dockerfile and os.path.isfile(dockerfile):
            candidates.insert(0, dockerfile + ".dockerignore")
        for path in candidates:
            text = _read_small(path)
            if text is not None:
                ctx.rules = IgnoreRules.parse(text)
                ctx._why.extend(f".dockerignore: {w}" for w in ctx.rules.errors)
                break
        return ctx

    # ------------------------------------------------------------------ state

    @property
    def partial(self) -> bool:
        """True when the view stopped at a bound or skipped something unreadable."""
        if self._files is None:
            self.files()
        return bool(self._why)

    @property
    def partial_why(self) -> tuple[str, ...]:
        """Why the view is partial, one short reason each (empty when complete)."""
        if self._files is None:
            self.files()
        return tuple(self._why)

    # ------------------------------------------------------------------ queries

    def files(self) -> tuple[str, ...]:
        """Every regular file in the view, sorted, walked once (bounded)."""
        if self._files is None:
            self._files = tuple(sorted(self._walk()))
        return self._files

    def exists(self, rel: str) -> bool:
        """Is ``rel`` a file or folder in the view (not ignored, not skipped, inside)?"""
        return self._resolve(rel) is not None

    def read(self, rel: str) -> str | None:
        """The text of file ``rel`` (UTF-8, bad bytes replaced), or None when it is not
        in the view, is not a regular file, or a read bound is reached (then ``partial``)."""
        full = self._resolve(rel)
        if full is None:
            return None
        try:
            st = os.stat(full)
        except OSError:
            return None
        if not stat.S_ISREG(st.st_mode):
            return None
        if st.st_size > MAX_FILE_BYTES:
            self._note(f"{_norm(rel)} is larger than {MAX_FILE_BYTES} bytes; not read")
            return None
        if self._read_total + st.st_size > MAX_TOTAL_BYTES:
            self._note(f"read {MAX_TOTAL_BYTES} bytes in total; {_norm(rel)} not read")
            return None
        try:
            with open(full, "rb") as fh:
                data = fh.read(MAX_FILE_BYTES + 1)[:MAX_FILE_BYTES]
        except OSError:
            return None
        self._read_total += len(data)
        return data.decode("utf-8", errors="replace")

    def named(self, *names: str) -> tuple[str, ...]:
        """Files in the view whose base name is one of ``names`` (``Makefile``, ``go.mod``)."""
        return tuple(f for f in self.files() if f.rsplit("/", 1)[-1] in names)

    def with_suffix(self, *suffixes: str) -> tuple[str, ...]:
        """Files in the view whose name ends with one of ``suffixes`` (``.go``)."""
        return tuple(f for f in self.files() if f.endswith(suffixes))

    # ------------------------------------------------------------------ internals

    def _note(self, why: str) -> None:
        if why not in self._why:
            self._why.append(why)

    def _skipped(self, rel: str) -> bool:
        parts = rel.split("/")
        return any(p in SKIP_DIRS for p in parts) or self.rules.excluded(rel)

    def _resolve(self, rel: str) -> str | None:
        """The absolute path of ``rel`` when it is in the view, else None."""
        rel = _norm(rel)
        if rel in ("", "."):
            return self.root
        if rel.startswith("../") or rel == ".." or os.path.isabs(rel) or self._skipped(rel):
            return None
        full = os.path.join(self.root, *rel.split("/"))
        real = os.path.realpath(full)
        if real != self._real_root and not real.startswith(self._real_root + os.sep):
            return None  # a link out of the root
        if not os.path.exists(real):
            return None
        return full

    def _walk(self) -> Iterator[str]:
        seen = 0
        stack = [""]
        while stack:
            rel_dir = stack.pop()
            try:
                with os.scandir(os.path.join(self.root, rel_dir)) as it:
                    # never hold more than the bound, even for one huge folder
                    entries = list(itertools.islice(it, MAX_ENTRIES - seen + 1))
            except OSError:
                self._note(f"cannot list {rel_dir or '.'}")
                continue
            entries.sort(key=lambda e: e.name)
            subdirs = []
            for entry in entries:
                seen += 1
                if seen > MAX_ENTRIES:
                    self._note(f"stopped after {MAX_ENTRIES} entries")
                    return
                rel = f"{rel_dir}/{entry.name}" if rel_dir else entry.name
                try:
                    is_link = entry.is_symlink()
                    is_dir = entry.is_dir(follow_symlinks=False)
                except OSError:
                    continue
                if is_dir:
                    if entry.name in SKIP_DIRS or (self.rules.excluded(rel)
                                                   and not self.rules.may_include_under(rel)):
                        continue
                    subdirs.append(rel)
                    continue
                if self.rules.excluded(rel):
                    continue
                if is_link:
                    # a link is listed only when it resolves to a file inside the root
                    real = os.path.realpath(entry.path)
                    if not real.startswith(self._real_root + os.sep) or not os.path.isfile(real):
                        continue
                elif not entry.is_file(follow_symlinks=False):
                    continue  # sockets, fifos, devices
                yield rel
            stack.extend(reversed(subdirs))


def _norm(rel: str) -> str:
    rel = rel.replace("\\", "/")
    while rel.startswith("./"):
        rel = rel[2:]
    return os.path.normpath(rel).replace(os.sep, "/") if rel else ""


def _read_small(path: str) -> str | None:
    try:
        with open(path, "rb") as fh:
            return fh.read(MAX_FILE_BYTES).decode("utf-8", errors="replace")
    except OSError:
        return None


def looks_like_project(folder: str) -> bool:
    """Does ``folder`` hold a project build file, or is its Dockerfile alone there?

    A folder holding several Dockerfiles and none of ``PROJECT_MARKERS`` (a
    collection of examples, a test-fixture folder, a corpus) is not the project
    those Dockerfiles build: reading it would be evidence of nothing.
    """
    try:
        names = os.listdir(folder)
    except OSError:
        return False
    if any(m in names for m in PROJECT_MARKERS):
        return True
    dockerfiles = [n for n in names if "dockerfile" in n.lower() or "containerfile" in n.lower()]
    return len(dockerfiles) <= 1


def default_context(dockerfile: str) -> str | None:
    """The context ``convert``/``check`` read when no ``--context`` is given.

    Like ``docker build .``: the folder holding the Dockerfile - unless it reads
    standard input (``-``: no folder) or the folder is clearly not a project
    (``looks_like_project``), where the Dockerfile alone is the honest input.
    """
    if dockerfile == "-":
        return None
    folder = os.path.dirname(os.path.abspath(dockerfile))
    return folder if looks_like_project(folder) else None
