"""A lossless model of a Dockerfile: instructions as spans of the original text.

The model never rebuilds text. Each instruction knows the exact span of the
original it came from and the *logical* line BuildKit sees (continuations
joined, comment and empty lines inside continuations dropped), with a map from
every logical offset back to the original, so a rule can find ``go build`` in
the logical line and edit the original bytes at exactly that place.

Why not dockerfile-parse for positions: it turns heredoc bodies into fake
instructions and a blank line inside a continuation ends the instruction early.
The scanner below follows BuildKit's own parser
(moby/buildkit frontend/dockerfile/parser/parser.go) rule for rule; the tests
compare its instruction line ranges with BuildKit's parser on every fixture,
every corpus file and fuzzed input. dockerfile-parse's quote-aware
``WordSplitter`` is used for splitting values into words.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cached_property

from xbuild.errors import XBuildError

# https://docs.docker.com/reference/dockerfile/#parser-directives
# Go's regexp \s is [\t\n\f\r ] (BuildKit parser.reDirectives)
_DIRECTIVE = re.compile(r"^#[\t\f\r ]*([a-zA-Z][a-zA-Z0-9]*)[\t\f\r ]*=[\t\f\r ]*(.+?)[\t\f\r ]*$")
# Go's unicode.IsSpace, which BuildKit uses to left-trim lines and to find
# comment and empty continuation lines (Python's isspace also has \x1c-\x1f).
_GO_SPACE = ("\t\n\v\f\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006"
             "\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000")
# splitCommand: the keyword ends at the first of these (parser.reWhitespace)
_KEYWORD_END = re.compile(r"[\t\v\f\r ]+")
_HEREDOC_WORD = re.compile(r"^(\d*)<<(-?)([^<]*)$")
# Instructions that may carry heredocs (BuildKit: heredocDirectives), also behind ONBUILD.
_HEREDOC_CMDS = frozenset({"RUN", "COPY", "ADD"})
_BOM = "\ufeff"
# BuildKit reads lines with a bufio.Scanner capped at 64 KiB: a physical line
# longer than this many bytes (its "\r" counted, its "\n" not) fails the parse.
MAX_LINE_BYTES = 65535


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
    def flag_mounts(self) -> tuple[str, ...]:
        """Every ``--mount=`` value of a RUN (an instruction may carry several)."""
        out: list[str] = []
        if not self._has_flags:
            return ()
        for w in self.words:
            if not w.value.startswith("--"):
                break
            if w.value.lower().startswith("--mount="):
                out.append(unquote(w.value.split("=", 1)[1]))
        return tuple(out)

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
        return self.name if self.name is not None else str(self.index)

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
        return stages

    def line_start(self, offset: int) -> int:
        """Offset of the start of the line containing ``offset``."""
        return self.text.rfind("\n", 0, offset) + 1


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
    heredoc scan on everything Go calls a space (``_GO_SPACE``)."""
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


def _content(raw: str) -> str:
    """A physical line without its line end: BuildKit's trimNewline drops every
    trailing ``\\r`` and ``\\n`` (bytes.TrimRight(src, "\\r\\n"))."""
    return raw.rstrip("\r\n")


def _is_comment(content: str) -> bool:
    return content.lstrip(_GO_SPACE).startswith("#")


def parse(text: str, path: str = "<stdin>") -> Dockerfile:
    """Scan ``text`` into instructions. Raises ``XBuildError`` on input BuildKit rejects."""
    lines = text.splitlines(keepends=True) if text else []
    # splitlines also splits on \x0b, \x0c, \x1c.. and \u2028; BuildKit only on \n.
    if any(not ln.endswith("\n") and i < len(lines) - 1 for i, ln in enumerate(lines)):
        lines = _split_lf(text)
    offsets = []
    pos = 0
    for i, ln in enumerate(lines):
        offsets.append(pos)
        pos += len(ln)
        # a char is at most 4 bytes: only long lines need encoding to be measured
        if len(ln) > MAX_LINE_BYTES // 4 and len(
                ln.rstrip("\n").encode("utf-8", "surrogateescape")) > MAX_LINE_BYTES:
            raise XBuildError(f"line longer than {MAX_LINE_BYTES} bytes (BuildKit's limit)",
                              path=path, line=i + 1)

    directives: dict[str, str] = {}
    escape = "\\"
    i = 0
    # Parser directives: only at the very top; any other line ends them.
    while i < len(lines):
        content = _content(lines[i])
        if i == 0 and content.startswith(_BOM):
            content = content[1:]
        m = _DIRECTIVE.match(content.lstrip(_GO_SPACE))  # BuildKit left-trims first
        if not m:
            break
        key, value = m.group(1).lower(), m.group(2)
        if key in directives:
            raise XBuildError(f"only one {key} parser directive can be used", path=path, line=i + 1)
        directives[key] = value
        if key == "escape":
            if value not in ("\\", "`"):
                raise XBuildError(f"invalid escape token {value!r} does not match [\\`]",
                                  path=path, line=i + 1)
            escape = value
        i += 1
    # BuildKit: an escape at the end continues the line unless an escape comes
    # right before it (``\\`` at the end is an escaped escape, not a continuation)
    continuation = re.compile(r"(?<!%s)%s[ \t]*$" % (re.escape(escape), re.escape(escape)))

    instructions: list[Instruction] = []
    n = len(lines)
    while i < n:
        content = _content(lines[i])
        if i == 0 and content.startswith(_BOM):
            content = content[1:]
        stripped = content.lstrip(_GO_SPACE)
        if not stripped or stripped.startswith("#"):
            i += 1
            continue
        start_line = i
        indent = len(content) - len(stripped)
        first_off = offsets[i] + indent + (1 if i == 0 and lines[0].startswith(_BOM) else 0)
        pieces: list[tuple[int, int]] = []
        logical = ""
        piece, ended = _trim_continuation(stripped, continuation)
        pieces.append((0, first_off))
        logical += piece
        i += 1
        while not ended and i < n:
            content = _content(lines[i])
            i += 1
            if _is_comment(content):
                continue
            if not content.lstrip(_GO_SPACE):
                continue  # empty continuation line: BuildKit skips it (with a warning)
            piece, ended = _trim_continuation(content, continuation)
            pieces.append((len(logical), offsets[i - 1]))
            logical += piece
        keyword = _KEYWORD_END.split(logical.strip(_GO_SPACE), 1)[0]
        heredocs: list[Heredoc] = []
        if _may_have_heredoc(logical, keyword):
            for name, chomp, quoted in _heredoc_names(logical):
                body_start = offsets[i] if i < n else len(text)
                terminated = False
                while i < n:
                    possible = lines[i].rstrip("\r\n")  # BuildKit: trimNewline, every \r
                    if chomp:
                        possible = possible.lstrip("\t")
                    i += 1
                    if possible == name:
                        terminated = True
                        break
                if not terminated:
                    raise XBuildError(f"unterminated heredoc <<{name}", path=path,
                                      line=start_line + 1)
                heredocs.append(Heredoc(name, chomp, quoted, body_start, offsets[i - 1],
                                        offsets[i - 1] + len(lines[i - 1])))
        end_off = offsets[i - 1] + len(lines[i - 1])
        instructions.append(Instruction(
            index=len(instructions), keyword=keyword, start_line=start_line + 1, end_line=i,
            start=first_off, end=end_off, logical=logical, _pieces=pieces,
            heredocs=tuple(heredocs)))

    if not instructions:
        raise XBuildError("no instructions: not a Dockerfile (empty, or only comments)", path=path)
    newline = "\r\n" if text.count("\r\n") * 2 > text.count("\n") else "\n"
    return Dockerfile(path, text, instructions, directives, escape, newline)


def _split_lf(text: str) -> list[str]:
    parts = text.split("\n")
    out = [p + "\n" for p in parts[:-1]]
    if parts[-1]:
        out.append(parts[-1])
    return out


def _trim_continuation(content: str, continuation: re.Pattern[str]) -> tuple[str, bool]:
    """(the line without its continuation char, whether the instruction ends here)."""
    m = continuation.search(content)
    if m:
        return content[: m.start()], False
    return content, True


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


def _may_have_heredoc(logical: str, keyword: str) -> bool:
    if "<<" not in logical:
        return False
    cmd = keyword.upper()
    rest = logical[len(keyword):].lstrip(" \t")
    if cmd == "ONBUILD":  # ONBUILD RUN <<EOF consumes the body too
        # BuildKit strips leading --flags at the ONBUILD level before it parses
        # the inner instruction (parser.newNodeFromLine -> extractBuilderFlags)
        words = split_words(rest, spaces=_GO_SPACE)
        while words and words[0].value.startswith("--"):
            words.pop(0)
        if not words or words[0].value.upper() not in _HEREDOC_CMDS:
            return False
        rest = rest[words[0].end:]
    elif cmd not in _HEREDOC_CMDS:
        return False
    words = [w.value for w in split_words(rest)]
    flags_done = [w for w in words if not w.startswith("--")]
    tail = " ".join(flags_done).strip()
    # JSON (exec) form carries no heredocs; like Go's json.Decoder, BuildKit reads one
    # JSON value and ignores what follows it (``RUN ["sh", "-c"] <<EOF`` is exec form)
    return json_array_prefix(tail) is None


def _heredoc_names(logical: str) -> list[tuple[str, bool, bool]]:
    """Heredocs of a logical line in order: (name, chomp, quoted).

    BuildKit (parser.heredocsFromLine) splits the line into shell words with
    quotes kept and matches each word against ``^(\\d*)<<(-?)([^<]*)$``.
    """
    out = []
    for w in split_words(logical, spaces=_GO_SPACE):
        m = _HEREDOC_WORD.match(w.value)
        if not m:
            continue
        raw = m.group(3)
        name = unquote(raw)
        if not name:
            continue
        quoted = raw != name or "'" in raw or '"' in raw
        out.append((name, m.group(2) == "-", quoted))
    return out
