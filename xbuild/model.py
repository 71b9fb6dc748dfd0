"""A lossless model of a Dockerfile: the scanner that turns text into instructions.

``parse`` returns the nodes of ``xbuild.instructions`` (re-exported here, so callers
get the model from one import). The model never rebuilds text. Each instruction knows the exact span of the
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

import re

from xbuild.errors import XBuildError
from xbuild.instructions import (
    Dockerfile,
    Heredoc,
    Instruction,
    Stage,
    Word,
    json_array_prefix,
    split_words,
    unquote,
)

# The nodes live in xbuild.instructions; xbuild.model is where callers get them with parse.
__all__ = ["Dockerfile", "Heredoc", "Instruction", "Stage", "Word", "json_array_prefix", "parse",
           "split_words", "unquote"]

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
    continuation = re.compile(rf"(?<!{re.escape(escape)}){re.escape(escape)}[ \t]*$")

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
    values = [w.value for w in split_words(rest)]
    tail = " ".join(v for v in values if not v.startswith("--")).strip()
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
