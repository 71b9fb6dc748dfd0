"""The nodes of the Dockerfile model: instructions, stages and the file, as spans.

What ``xbuild.model.parse`` returns. Nothing here scans text: an ``Instruction``
is the span of the original it came from, its *logical* line (what BuildKit sees,
continuations joined) and the map from every logical offset back to the original,
so a rule can find ``go build`` in the logical line and edit the original bytes at
exactly that place. ``split_words``/``unquote`` split and unquote its values the way
BuildKit's shell lexer does.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cached_property


@dataclass(frozen=True)
class Heredoc:
    name: str
    chomp: bool  # <<- : leading tabs stripped
    quoted: bool  # <<'EOF' / <<"EOF": no expansion
    body_start: int  # offset of the first body line in the original text
    body_end: int  # offset of the terminator line
    end: int  # offset just past the terminator line (and its newline)


@dataclass(frozen=True)
class Word:
    value: str  # as written, quotes kept
    start: int  # offsets in the logical line
    end: int


@dataclass
class Instruction:
    index: int
    keyword: str  # as written (``from``, ``Run``)
    start_line: int  # 1-based, inclusive
    end_line: int  # 1-based, inclusive (includes heredoc bodies)
    start: int  # offset of the instruction's first byte (after indentation)
    end: int  # offset just past its last line's newline (or end of text)
    logical: str  # the line BuildKit sees, continuations joined
    # (logical_offset, original_offset) at the start of every joined piece
    _pieces: list[tuple[int, int]] = field(repr=False, default_factory=list)
    heredocs: tuple[Heredoc, ...] = ()

    @property
    def cmd(self) -> str:
        return self.keyword.upper()

    @property
    def line(self) -> int:
        return self.start_line

    def orig(self, logical_offset: int) -> int:
        """The original-text offset of a position in ``logical``."""
        lo, hi = 0, len(self._pieces) - 1
        while lo < hi:  # last piece starting at or before the offset
            mid = (lo + hi + 1) // 2
            if self._pieces[mid][0] <= logical_offset:
                lo = mid
            else:
                hi = mid - 1
        lstart, ostart = self._pieces[lo]
        return ostart + (logical_offset - lstart)

    def line_of(self, logical_offset: int, text: str) -> int:
        """1-based line number in the original text of a logical offset."""
        return text.count("\n", 0, self.orig(logical_offset)) + 1

    @cached_property
    def args_offset(self) -> int:
        """Logical offset where the arguments start (after keyword and blanks)."""
        m = re.match(r"[ \t]*\S+[ \t]*", self.logical)
        return m.end() if m else len(self.logical)

    @cached_property
    def words(self) -> tuple[Word, ...]:
        """The arguments split into shell-like words, quotes kept, with offsets."""
        return tuple(split_words(self.logical, self.args_offset))

    @cached_property
    def _has_flags(self) -> bool:
        # Most instructions have no flags: skip splitting the whole line into words.
        return self.logical.startswith("--", self.args_offset)

    @cached_property
    def flags(self) -> dict[str, Word]:
        """Leading ``--name=value`` flags (lower-cased name -> the whole word)."""
        out: dict[str, Word] = {}
        if not self._has_flags:
            return out
        for w in self.words:
            if not w.value.startswith("--"):
                break
            name = w.value[2:].split("=", 1)[0].lower()
            out.setdefault(name, w)
        return out

    def flag_value(self, name: str) -> str | None:
        w = self.flags.get(name)
        if w is None:
            return None
        _, _, value = w.value.partition("=")
        return unquote(value)

    @cached_property
    def rest_offset(self) -> int:
        """Logical offset of the first argument after the leading flags."""
        if not self._has_flags:  # args_offset is past the blanks: the first word
            return self.args_offset if self.args_offset < len(self.logical) else len(self.logical)
        for w in self.words:
            if not w.value.startswith("--"):
                return w.start
        return len(self.logical)

    @property
    def rest(self) -> str:
        """The arguments after the leading flags, as BuildKit sees them."""
        return self.logical[self.rest_offset:]

    @cached_property
    def is_json(self) -> bool:
        return json_array_prefix(self.rest.strip()) is not None


@dataclass
class Stage:
    index: int
    from_: Instruction
    instructions: list[Instruction]  # the FROM first
    # how messages name an unnamed stage: its FROM image, with the line when two
    # unnamed stages share one (set by Dockerfile.stages)
    display: str | None = None

    @cached_property
    def _from_words(self) -> tuple[Word, ...]:
        return tuple(w for w in self.from_.words if not w.value.startswith("--"))

    @property
    def base(self) -> str:
        """The image or stage after FROM, as written."""
        words = self._from_words
        return words[0].value if words else ""

    @property
    def name(self) -> str | None:
        """The ``AS name`` alias as written, or None."""
        words = self._from_words
        if len(words) >= 3 and words[1].value.lower() == "as":
            return words[2].value
        return None

    @property
    def label(self) -> str:
        """How messages name the stage: its alias, else its FROM image (never an index,
        which a reader would have to count)."""
        if self.name is not None:
            return self.name
        return self.display or self.base or str(self.index)

    @property
    def platform(self) -> str | None:
        """The ``--platform`` value of the FROM, as written, or None."""
        return self.from_.flag_value("platform")


@dataclass
class Dockerfile:
    path: str
    text: str
    instructions: list[Instruction]
    directives: dict[str, str]
    escape: str
    newline: str  # the file's dominant newline: "\n" or "\r\n"

    @cached_property
    def global_args(self) -> list[Instruction]:
        """ARG instructions before the first FROM."""
        out = []
        for ins in self.instructions:
            if ins.cmd == "FROM":
                break
            if ins.cmd == "ARG":
                out.append(ins)
        return out

    @cached_property
    def stages(self) -> list[Stage]:
        stages: list[Stage] = []
        for ins in self.instructions:
            if ins.cmd == "FROM":
                stages.append(Stage(len(stages), ins, [ins]))
            elif stages:
                stages[-1].instructions.append(ins)
        taken: dict[str, int] = {}
        for st in stages:
            key = (st.name or st.base).lower()
            taken[key] = taken.get(key, 0) + 1
        for st in stages:
            if st.name is None and taken.get(st.base.lower(), 0) > 1:
                st.display = f"{st.base} (line {st.from_.line})"
        return stages

    def line_start(self, offset: int) -> int:
        """Offset of the start of the line containing ``offset``."""
        return self.text.rfind("\n", 0, offset) + 1

    def span(self, line: int) -> tuple[int, int, int, int]:
        """(start_line, start_col, end_line, end_col), 1-based, of the instruction starting
        or running through ``line`` (its heredoc bodies included); the bare line when no
        instruction covers it. Columns count code points; ``end_col`` is just past the
        last character of the end line, a ``\\r`` before its newline excluded."""
        ins = self._covering.get(line)
        if ins is None:
            return line, 1, line, self._line_end_col(line)
        col = ins.start - self.line_start(ins.start) + 1
        return ins.start_line, col, ins.end_line, self._line_end_col(ins.end_line)

    @cached_property
    def _covering(self) -> dict[int, Instruction]:
        out: dict[int, Instruction] = {}
        for ins in self.instructions:
            for ln in range(ins.start_line, ins.end_line + 1):
                out.setdefault(ln, ins)
        return out

    @cached_property
    def _line_starts(self) -> list[int]:
        return [0] + [i + 1 for i, c in enumerate(self.text) if c == "\n"]

    def _line_end_col(self, line: int) -> int:
        starts = self._line_starts
        if not 1 <= line <= len(starts):
            return 1
        start = starts[line - 1]
        end = starts[line] - 1 if line < len(starts) else len(self.text)
        content = self.text[start:end]
        return len(content.removesuffix("\r")) + 1


def unquote(value: str) -> str:
    """Remove shell quotes from a word (no variable expansion)."""
    if '"' not in value and "'" not in value and "\\" not in value:
        return value
    from dockerfile_parse.util import WordSplitter

    parts = list(WordSplitter(value).split())
    return parts[0] if len(parts) == 1 else value


def split_words(line: str, start: int = 0, spaces: str = " \t") -> list[Word]:
    """Split ``line[start:]`` into whitespace-separated words, respecting quotes
    and backslash escapes the way BuildKit's shell lexer does (quotes kept).

    ``spaces``: the separators; instruction arguments split on blanks, the
    heredoc scan on everything Go calls a space (``xbuild.model._GO_SPACE``)."""
    words: list[Word] = []
    i, n = start, len(line)
    while i < n:
        while i < n and line[i] in spaces:
            i += 1
        if i >= n:
            break
        begin = i
        quote = ""
        while i < n:
            c = line[i]
            if quote:
                if c == "\\" and quote == '"' and i + 1 < n:
                    i += 2
                    continue
                if c == quote:
                    quote = ""
            elif c in "'\"":
                quote = c
            elif c == "\\" and i + 1 < n:
                i += 2
                continue
            elif c in spaces:
                break
            i += 1
        words.append(Word(line[begin:i], begin, i))
    return words


def json_array_prefix(text: str) -> list[str] | None:
    """The JSON array of strings ``text`` starts with, or None. BuildKit's parseJSON
    decodes one value with Go's json.Decoder, which ignores anything after it."""
    if not text.startswith("["):
        return None
    try:
        value, _ = json.JSONDecoder().raw_decode(text)
    except ValueError:
        return None
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return value
    return None
