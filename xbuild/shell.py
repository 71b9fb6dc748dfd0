"""Just enough POSIX shell to find the simple commands of a RUN step.

A RUN's command line (or a heredoc script) is split into *simple commands*:
leading ``NAME=value`` assignments, the command name and its arguments, each
word with its offset in the original text. Compound syntax is only stepped
over (``if``/``then``/``do``/``{``/``(``), never interpreted: a rule that needs
more certainty than this gives treats the step as opaque and says so.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

_ASSIGN = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*=")
_RESERVED = frozenset({"if", "then", "else", "elif", "fi", "do", "done", "while", "until",
                       "for", "case", "esac", "!", "{", "}", "time"})
_OPERATORS = ("&&", "||", ";;", ";", "|", "&", "(", ")", "\n")
_OPERATOR_CHARS = frozenset(o[0] for o in _OPERATORS)


@dataclass(frozen=True)
class SWord:
    value: str  # as written, quotes kept
    start: int  # offset in the original text
    end: int

    @property
    def text(self) -> str:
        """The word with quotes removed (no expansion)."""
        v = self.value
        if len(v) >= 2 and v[0] == v[-1] and v[0] in "'\"":
            return v[1:-1]
        return v.replace('"', "").replace("'", "")


@dataclass(frozen=True)
class Command:
    assigns: tuple[SWord, ...]
    words: tuple[SWord, ...]  # words[0] is the command name
    export: bool = False  # ``export A=b`` / ``ENV``-like assignment command

    @property
    def name(self) -> str:
        return self.words[0].text if self.words else ""

    @property
    def args(self) -> list[str]:
        return [w.text for w in self.words[1:]]

    @property
    def start(self) -> int:
        return (self.assigns or self.words)[0].start

    def assigned(self) -> dict[str, SWord]:
        return {a.value.split("=", 1)[0]: a for a in self.assigns}


def commands(script: str, to_orig: Callable[[int], int]) -> list[Command]:
    """Simple commands of ``script``; offsets mapped through ``to_orig``."""
    out: list[Command] = []
    current: list[SWord] = []

    def flush() -> None:
        words = list(current)
        current.clear()
        while words and words[0].value in _RESERVED:
            words.pop(0)
        if words and words[0].value == "for":
            return
        assigns = []
        while words and _ASSIGN.match(words[0].value):
            assigns.append(words.pop(0))
        export = False
        if words and words[0].value in ("export", "declare", "local", "readonly") and len(words) > 1:
            export = True
            assigns = [w for w in words[1:] if _ASSIGN.match(w.value)]
            words = []
        if assigns or words:
            out.append(Command(tuple(assigns), tuple(words), export))

    i, n = 0, len(script)
    while i < n:
        c = script[i]
        if c in " \t\r":
            i += 1
            continue
        if c == "\\" and i + 1 < n and script[i + 1] == "\n":
            i += 2
            continue
        if c == "#" and (i == 0 or script[i - 1] in " \t\n;&|()"):
            while i < n and script[i] != "\n":
                i += 1
            continue
        op = None
        if c in _OPERATOR_CHARS:  # cheap test first: most characters start a word
            op = next((o for o in _OPERATORS if script.startswith(o, i)), None)
        if op is not None:
            flush()
            i += len(op)
            continue
        start = i
        i = _word_end(script, i)
        current.append(SWord(script[start:i], to_orig(start), to_orig(start) + (i - start)))
    flush()
    return out


def _word_end(s: str, i: int) -> int:
    """End offset of the word starting at ``i`` (quotes, escapes, $( ) and backticks)."""
    n = len(s)
    while i < n:
        c = s[i]
        if c in " \t\r\n;&|()":
            return i
        if c == "\\":
            i += 2
            continue
        if c == "'":
            j = s.find("'", i + 1)
            i = n if j < 0 else j + 1
            continue
        if c == '"':
            i = _dquote_end(s, i + 1)
            continue
        if c == "`":
            j = s.find("`", i + 1)
            i = n if j < 0 else j + 1
            continue
        if c == "$" and i + 1 < n and s[i + 1] in "({":
            i = _paren_end(s, i + 1)
            continue
        i += 1
    return i


def _dquote_end(s: str, i: int) -> int:
    n = len(s)
    while i < n:
        c = s[i]
        if c == "\\":
            i += 2
            continue
        if c == '"':
            return i + 1
        if c == "$" and i + 1 < n and s[i + 1] in "({":
            i = _paren_end(s, i + 1)
            continue
        i += 1
    return n


def _paren_end(s: str, i: int) -> int:
    """``s[i]`` is ``(`` or ``{``; return the offset past its match."""
    open_c = s[i]
    close_c = ")" if open_c == "(" else "}"
    depth, n = 0, len(s)
    while i < n:
        c = s[i]
        if c == "\\":
            i += 2
            continue
        if c == "'" and open_c == "(":
            j = s.find("'", i + 1)
            i = n if j < 0 else j + 1
            continue
        if c == '"':
            i = _dquote_end(s, i + 1)
            continue
        if c == open_c:
            depth += 1
        elif c == close_c:
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    return n
