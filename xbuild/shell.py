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
    # how the RUN reaches it: "" (written in the RUN itself), "env"/"exec"/... (a wrapper's
    # words, offsets exact), "sh -c" or "$(...)" (inside a quoted script or a command
    # substitution: offsets approximate, never edited)
    via: str = ""

    @property
    def nested(self) -> bool:
        return self.via in ("sh -c", "$(...)")

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
    # ``case WORD in PATTERN) ...;; esac``: patterns are not commands
    state = {"case": 0, "pattern": False}

    def flush() -> None:
        words = list(current)
        current.clear()
        while words and words[0].value in _RESERVED and words[0].value not in ("for", "case"):
            if words[0].value == "esac" and state["case"]:
                state["case"] -= 1
            words.pop(0)
        if words and words[0].value in ("for", "case", "select"):
            # `for NAME in WORDS` / `case WORD in`: keep the words only so command
            # substitutions in them are still found; the keyword is the command name
            if words[0].value == "case":
                state["case"] += 1
                state["pattern"] = True
            out.append(Command((), tuple(words)))
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
            if state["case"] and state["pattern"] and op in ("|", ")"):
                if op == ")":  # the end of a case pattern: drop it
                    current.clear()
                    state["pattern"] = False
                i += len(op)
                continue
            flush()
            if op == ";;":
                state["pattern"] = True
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


def _substitutions(value: str) -> list[tuple[int, int]]:
    """(start, end) of the text inside each ``$(...)`` and backtick pair in a word, outside
    single quotes (where the shell does not substitute)."""
    out: list[tuple[int, int]] = []
    i, n = 0, len(value)
    in_dq = False
    while i < n:
        c = value[i]
        if c == "\\":
            i += 2
            continue
        if c == "'" and not in_dq:
            j = value.find("'", i + 1)
            i = n if j < 0 else j + 1
            continue
        if c == '"':
            in_dq = not in_dq
            i += 1
            continue
        if c == "$" and i + 1 < n and value[i + 1] == "(" and not value.startswith("$((", i):
            end = _paren_end(value, i + 1)
            out.append((i + 2, max(i + 2, end - 1)))
            i = end
            continue
        if c == "`":
            j = value.find("`", i + 1)
            if j < 0:
                break
            out.append((i + 1, j))
            i = j + 1
            continue
        i += 1
    return out


def _shifted(base: int) -> Callable[[int], int]:
    """An offset mapper for a script that starts at ``base`` in its word."""
    return lambda o: base + o


def inner_commands(cmd: Command, wrappers: dict[str, frozenset[str]],
                   positionals: dict[str, int], shells: frozenset[str],
                   depth: int = 0) -> list[Command]:
    """The commands ``cmd`` runs on its behalf, recursively: the command a wrapper runs
    (``env A=1 go build``, ``exec``, ``nice``, ``xargs``...), the script of ``sh -c '...'``,
    and every command substitution in its words. ``cmd`` itself is not included."""
    if depth > 8:
        return []
    out: list[Command] = []

    def more(found: list[Command]) -> None:
        for c in found:
            out.append(c)
            out.extend(inner_commands(c, wrappers, positionals, shells, depth + 1))

    for w in cmd.assigns + cmd.words:
        for a, b in _substitutions(w.value):
            base = w.start + a
            more([Command(c.assigns, c.words, c.export, "$(...)")
                  for c in commands(w.value[a:b], _shifted(base))])
    name = cmd.name
    if not cmd.words:
        return out
    if name in shells:
        after = cmd.words[1:]
        for k, w in enumerate(after):
            t = w.text
            if not t.startswith("-") or t.startswith("--"):
                break
            if "c" in t[1:] and k + 1 < len(after):  # -c, -ec, -euxc ...
                sw = after[k + 1]
                quoted = sw.value[:1] in ("'", '"') and sw.value[-1:] == sw.value[:1]
                base = sw.start + (1 if quoted else 0)
                more([Command(c.assigns, c.words, c.export, "sh -c")
                      for c in commands(sw.text, _shifted(base))])
                break
        return out
    takes = wrappers.get(name)
    if takes is None:
        return out
    words = list(cmd.words[1:])
    assigns = list(cmd.assigns)
    skip_pos = positionals.get(name, 0)
    while words:
        t = words[0].text
        if name == "env" and _ASSIGN.match(words[0].value):
            assigns.append(words.pop(0))
            continue
        if t.startswith("-") and t != "-":
            words.pop(0)
            if t in takes and words:
                words.pop(0)
            continue
        if skip_pos:
            skip_pos -= 1
            words.pop(0)
            continue
        break
    if words:
        via = cmd.via if cmd.via else name
        more([Command(tuple(assigns), tuple(words), False, via)])
    return out
