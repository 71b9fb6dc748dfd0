"""Which files ``xbuild check`` reads: files as given, Dockerfiles under folders, globs.

A folder is searched recursively for ``Dockerfile``, ``Containerfile``,
``Dockerfile.*``, ``Dockerfile-*`` (and the same for Containerfile),
``*.Dockerfile``, ``*.dockerfile`` and ``*.Containerfile``, skipping ``.git``,
``node_modules`` and ``vendor``. ``.pre-commit-hooks.yaml`` matches the same names
(a test keeps the two in step). A path that does not exist and has
glob characters is expanded as a glob (``**`` recursive); one that matches
nothing is an error (exit 3), like a missing file.
"""

from __future__ import annotations

import glob
import os
import re

from xbuild.errors import XBuildError

SKIP_DIRS = frozenset({".git", "node_modules", "vendor"})


_NAME = re.compile(r"(Dockerfile|Containerfile)([.-].+)?|.+\.(Dockerfile|dockerfile|Containerfile)",
                   re.S)


def is_dockerfile_name(name: str) -> bool:
    return _NAME.fullmatch(name) is not None


def _walk(folder: str) -> list[str]:
    out = []
    for dirpath, dirnames, filenames in os.walk(folder):
        dirnames[:] = sorted(d for d in dirnames if d not in SKIP_DIRS)
        for fn in sorted(filenames):
            if is_dockerfile_name(fn):
                out.append(os.path.normpath(os.path.join(dirpath, fn)))
    return out


def find_dockerfiles(paths: list[str]) -> list[str]:
    """The files to check, in a stable order, each once."""
    out: list[str] = []
    for p in paths:
        if p == "-" or os.path.isfile(p):
            found = [p]
        elif os.path.isdir(p):
            found = _walk(p)
        elif any(c in p for c in "*?["):
            found = []
            for m in sorted(glob.glob(p, recursive=True)):
                if os.path.isdir(m):
                    found.extend(_walk(m))
                elif os.path.isfile(m):
                    found.append(m)
            if not found:
                raise XBuildError("no file matches this pattern", path=p)
        else:
            raise XBuildError("no such file or directory", path=p)
        for f in found:
            if f not in out:
                out.append(f)
    return out
