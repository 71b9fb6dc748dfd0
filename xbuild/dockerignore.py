"""Docker's ``.dockerignore`` rules, as the Docker docs define them.

Why not a library: ``pathspec`` implements *gitignore* (an unanchored ``foo``
matches at any depth there, only at the root here; gitignore cannot re-include
under an ignored folder, Docker can); docker-py's matcher is an internal,
undocumented part of the Docker SDK that would pull requests/urllib3 into every
start of the CLI; the small PyPI ports have no track record. The rules are
short, so they are written out here and pinned by tests/test_buildcontext.py:

- one pattern a line; a line whose first character is ``#`` is a comment;
  surrounding spaces are trimmed; blank lines are skipped;
- ``!`` makes the line an exception (re-include); the pattern is cleaned like
  Go's ``filepath.Clean`` and a leading ``/`` is dropped: patterns are anchored
  at the context root;
- ``*`` matches within one path element, ``?`` one character of it,
  ``[...]`` a class, ``\\`` escapes; ``**`` matches any number of folders
  (zero included); a trailing ``**`` matches everything below;
- a pattern that matches a folder matches everything under it;
- the last pattern that matches a path decides whether it is excluded.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field


@dataclass(frozen=True)
class Pattern:
    text: str  # cleaned, without the "!"
    exception: bool
    regex: re.Pattern[str]


def _clean(pattern: str) -> str:
    cleaned = posixpath.normpath(pattern)
    if cleaned.startswith("//"):  # normpath keeps a leading "//"
        cleaned = "/" + cleaned.lstrip("/")
    if len(cleaned) > 1 and cleaned.startswith("/"):
        cleaned = cleaned[1:]
    return cleaned


def _translate(pattern: str) -> str:
    """A regular expression for one cleaned pattern (whole-path match)."""
    out: list[str] = []
    i, n = 0, len(pattern)
    while i < n:
        ch = pattern[i]
        if ch == "*":
            if i + 1 < n and pattern[i + 1] == "*":
                i += 2
                if i < n and pattern[i] == "/":
                    i += 1  # "**/" is "**"
                out.append(".*" if i >= n else "(?:.*/)?")
                continue
            out.append("[^/]*")
        elif ch == "?":
            out.append("[^/]")
        elif ch == "[":
            end = pattern.find("]", i + 2 if pattern[i + 1:i + 2] in ("^", "!", "]") else i + 1)
            if end < 0:
                raise ValueError(f"unclosed '[' in {pattern!r}")
            body = pattern[i + 1:end]
            if body.startswith("!"):
                body = "^" + body[1:]
            out.append("[" + body.replace("\\", "\\\\") + "]")
            i = end
        elif ch == "\\" and i + 1 < n:
            i += 1
            out.append(re.escape(pattern[i]))
        else:
            out.append(re.escape(ch))
        i += 1
    return "".join(out)


@dataclass(frozen=True)
class IgnoreRules:
    """The patterns of one ``.dockerignore``, in file order."""

    patterns: tuple[Pattern, ...] = ()
    errors: tuple[str, ...] = field(default=())  # patterns skipped (Docker would fail the build)

    @classmethod
    def parse(cls, text: str) -> "IgnoreRules":
        patterns: list[Pattern] = []
        errors: list[str] = []
        for number, raw in enumerate(text.lstrip("\ufeff").splitlines(), 1):
            if raw.startswith("#"):
                continue
            line = raw.strip()
            if not line:
                continue
            exception = line.startswith("!")
            if exception:
                line = line[1:].strip()
                if not line:
                    errors.append(f"line {number}: '!' without a pattern")
                    continue
            cleaned = _clean(line)
            try:
                regex = re.compile(_translate(cleaned) + r"\Z")
            except (ValueError, re.error) as exc:
                errors.append(f"line {number}: {exc}")
                continue
            patterns.append(Pattern(cleaned, exception, regex))
        return cls(tuple(patterns), tuple(errors))

    def excluded(self, rel: str) -> bool:
        """Would Docker leave ``rel`` (a relative path, ``/``-separated) out of the context?"""
        if not self.patterns:
            return False
        parts = rel.strip("/").split("/")
        prefixes = ["/".join(parts[:i]) for i in range(1, len(parts))]
        matched = False
        for p in self.patterns:
            if p.exception != matched:
                continue  # cannot change the outcome
            hit = bool(p.regex.match(rel)) or any(p.regex.match(d) for d in prefixes)
            if hit:
                matched = not p.exception
        return matched

    def may_include_under(self, rel_dir: str) -> bool:
        """Could an exception re-include something under the excluded folder ``rel_dir``?
        (Conservative: any exception does; the walk stays bounded either way.)"""
        return any(p.exception for p in self.patterns)
