"""What each stage does: its RUN steps classified, the env it builds with.

Pure functions of the model. The classification is deliberately small and
explicit; anything it does not recognise is "other", and rules treat "other"
in a stage they would move as a reason to ask, not to guess.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from xbuild.graph import Graph, arg_pairs
from xbuild.model import Dockerfile, Instruction, Stage, split_words, unquote
from xbuild.shell import Command, SWord, commands, inner_commands

# The step vocabulary (its classes and tables) lives in xbuild.vocabulary: import it from there.
from xbuild.vocabulary import (
    ARCH_QUERY,
    GO_BUILD,
    NEUTRAL,
    PKG,
    SHELLS,
    WRAPPER_POSITIONALS,
    WRAPPERS,
)
from xbuild.vocabulary import classify as _classify

_ENV_FILES = ("cargo/env", "os-release", "nvm.sh", "profile", ".bashrc", "/enable")


@dataclass(frozen=True)
class Step:
    ins: Instruction
    cmd: Command
    kind: str
    # an arch query whose answer only lands in a shell variable nothing reads
    unused: bool = False

    @property
    def line(self) -> int:
        return self.ins.line


@dataclass
class StageFacts:
    stage: Stage
    steps: list[Step] = field(default_factory=list)
    # name -> (value or None, instruction) for ENV and ARG seen in the stage, in order
    env: dict[str, tuple[str | None, Instruction]] = field(default_factory=dict)
    args: dict[str, tuple[str | None, Instruction]] = field(default_factory=dict)
    packages: set[str] = field(default_factory=set)
    _by_ins: dict[int, list[Step]] | None = field(default=None, repr=False, compare=False)

    def steps_of(self, ins: Instruction) -> list[Step]:
        """The steps of one instruction, in order. Indexed on first use (after
        stage_facts has filled ``steps``): a scan of all steps per go command made
        a stage with many builds quadratic."""
        if self._by_ins is None:
            self._by_ins = {}
            for s in self.steps:
                self._by_ins.setdefault(s.ins.index, []).append(s)
        return self._by_ins.get(ins.index, [])

    @property
    def go_builds(self) -> list[Step]:
        return [s for s in self.steps if s.kind == GO_BUILD]

    def kinds(self) -> set[str]:
        return {s.kind for s in self.steps}

    def uses_target_args(self) -> bool:
        """The stage declares a TARGET* ARG or a RUN reads one (its author cross-compiles)."""
        return any(n.startswith("TARGET") for n in self.args) or any(
            "$TARGET" in ins.logical or "${TARGET" in ins.logical
            for ins in self.stage.instructions[1:] if ins.cmd == "RUN")


_SHELLS = ("sh", "bash", "ash", "dash", "/bin/sh", "/bin/bash", "/bin/ash", "/bin/dash",
           "/usr/bin/bash", "/usr/bin/env")


def heredoc_is_script(ins: Instruction) -> bool:
    """Whether a RUN's heredoc bodies are the script it runs: ``RUN <<EOF`` (BuildKit
    runs the body), or a shell reading its standard input from one heredoc
    (``RUN bash <<EOF``, ``RUN sh -e <<'EOF'``); not ``cat <<EOF > file`` (data), not
    ``bash -c``, not a heredoc on another descriptor (``3<<EOF``)."""
    if not ins.heredocs or ins.is_json:
        return False
    words = [w.value for w in split_words(ins.rest)]
    heredoc_words = [w for w in words if re.match(r"^\d*<<-?", w)]
    if not words or not heredoc_words:
        return False
    if words[0] in heredoc_words:
        return all(w in heredoc_words or w in _SHELLS or w.startswith("-") for w in words)
    if words[0] not in _SHELLS or len(heredoc_words) != 1 or len(ins.heredocs) != 1:
        return False
    if not re.match(r"^0?<<", heredoc_words[0]):
        return False
    rest = [w for w in words[1:] if w not in heredoc_words]
    if words[0] == "/usr/bin/env":
        if not rest or rest[0] not in _SHELLS:
            return False
        rest = rest[1:]
    return all(w.startswith("-") and "c" not in w.lstrip("-") for w in rest) and \
        not any(w.startswith("--") and w not in ("--", "--norc", "--noprofile") for w in rest)


def run_scripts(ins: Instruction, text: str) -> list[tuple[str, object]]:
    """The shell scripts a RUN executes: its command line and any heredoc that
    is the script itself (``RUN <<EOF``), each with an offset mapper."""
    out: list[tuple[str, object]] = []
    if heredoc_is_script(ins):
        for h in ins.heredocs:
            body = text[h.body_start:h.body_end]
            out.append((body, (lambda o, base=h.body_start: base + o)))
        return out
    if ins.is_json:
        return out
    base = ins.rest_offset
    out.append((ins.logical[base:], (lambda o, b=base: ins.orig(b + o))))
    # heredoc bodies fed to another command (cat <<EOF > file) are data, not script
    return out


def classify(cmd: Command) -> str:
    """The vocabulary class of one command (xbuild.vocabulary.classify), with the
    sourcing of well-known environment files (``. $HOME/.cargo/env``) as neutral."""
    if cmd.name in ("source", ".") and cmd.args and any(f in cmd.args[0] for f in _ENV_FILES):
        return NEUTRAL
    return _classify(cmd)


def json_command(ins: Instruction) -> Command | None:
    """The command of an exec-form RUN (``RUN ["go", "build", "."]``), each element a
    word with its offsets (inside its quotes), or None when it is not exec form."""
    if not ins.is_json:
        return None
    import json

    base = ins.rest_offset
    rest = ins.logical[base:]
    words: list[SWord] = []
    i = rest.index("[") + 1
    dec = json.JSONDecoder()
    while True:
        while i < len(rest) and rest[i] in " \t,\r\n":
            i += 1
        if i >= len(rest) or rest[i] == "]":
            break
        value, j = dec.raw_decode(rest, i)
        words.append(SWord(str(value), ins.orig(base + i + 1), ins.orig(base + j - 1)))
        i = j
    return Command((), tuple(words)) if words else None


def _expanded(cmds: list[Command]) -> list[Command]:
    """Each command followed by what it runs on its behalf (wrappers, sh -c, $(...))."""
    out: list[Command] = []
    for c in cmds:
        out.append(c)
        out.extend(inner_commands(c, WRAPPERS, WRAPPER_POSITIONALS, SHELLS))
    return out


def _unused_query(cmd: Command, script: str, after: int) -> bool:
    """``cmd`` is an assignment-only command (``arch=$(uname -m)``) none of whose
    variables is read later in ``script`` (offsets of ``script`` from ``after``)."""
    if cmd.words or cmd.export or not cmd.assigns:
        return False
    names = [a.value.split("=", 1)[0] for a in cmd.assigns]
    tail = script[after:]
    return not any(re.search(r"\$\{?" + re.escape(n) + r"\b", tail) for n in names)


def stage_facts(df: Dockerfile, stage: Stage) -> StageFacts:
    facts = StageFacts(stage)
    for ins in stage.instructions[1:]:
        if ins.cmd == "ENV":
            for name, value in env_pairs(ins.rest):
                facts.env[name] = (value, ins)
        elif ins.cmd == "ARG":
            for name, default in arg_pairs(ins.rest):
                facts.args[name] = (default, ins)
        elif ins.cmd == "RUN":
            jc = json_command(ins)
            if jc is not None:
                _add_steps(facts, ins, _expanded([jc]), "", None)
                continue
            for script, mapper in run_scripts(ins, df.text):
                top = commands(script, mapper)  # type: ignore[arg-type]
                _add_steps(facts, ins, _expanded(top), script, mapper)
    return facts


def _add_steps(facts: StageFacts, ins: Instruction, cmds: list[Command], script: str,
               mapper: object) -> None:
    outer: dict[int, Command] = {}  # command substitutions: the assignment they sit in
    for c in cmds:
        if not c.nested and not c.words and c.assigns:
            for a in c.assigns:
                outer[a.start] = c
    for cmd in cmds:
        kind = classify(cmd)
        if cmd.words and cmd.name in WRAPPERS or cmd.name in SHELLS:
            inner = inner_commands(cmd, WRAPPERS, WRAPPER_POSITIONALS, SHELLS)
            if inner and any(i.via != "$(...)" for i in inner):
                kind = NEUTRAL  # what it runs is classified on its own
        unused = False
        if kind == ARCH_QUERY and cmd.via == "$(...)" and script:
            holder = _holder(outer, cmd)
            if holder is not None:
                end = max(w.end for w in holder.assigns)
                unused = _unused_query(holder, script, _script_offset(script, mapper, end))
        facts.steps.append(Step(ins, cmd, kind, unused))
        if kind == PKG:
            facts.packages.update(_packages(cmd))


def _holder(outer: dict[int, Command], cmd: Command) -> Command | None:
    """The assignment-only command a command substitution sits in."""
    for c in outer.values():
        if any(a.start <= cmd.start < a.end for a in c.assigns):
            return c
    return None


def _script_offset(script: str, mapper: object, orig: int) -> int:
    """The offset in ``script`` whose original offset is ``orig`` (mappers are monotone)."""
    lo, hi = 0, len(script)
    while lo < hi:
        mid = (lo + hi) // 2
        if mapper(mid) < orig:  # type: ignore[operator]
            lo = mid + 1
        else:
            hi = mid
    return lo


def _packages(cmd: Command) -> set[str]:
    args = cmd.args
    if not any(a in ("add", "install") for a in args):
        return set()
    out = set()
    for a in args:
        if a.startswith("-") or a in ("add", "install"):
            continue
        out.add(re.split(r"[=<>~:]", a, maxsplit=1)[0])
    return out


def env_pairs(value: str) -> list[tuple[str, str]]:
    """``ENV A=1 B=2`` or legacy ``ENV A 1 2``."""
    words = split_words(value)
    if words and "=" not in words[0].value:
        name = words[0].value
        return [(name, value[words[1].start:].strip() if len(words) > 1 else "")]
    out = []
    for w in words:
        name, eq, v = w.value.partition("=")
        if eq:
            out.append((name, unquote(v)))
    return out


def all_facts(df: Dockerfile) -> dict[int, StageFacts]:
    return {st.index: stage_facts(df, st) for st in df.stages}


def chain_env(graph: Graph, facts: dict[int, StageFacts], index: int) -> dict[str, str | None]:
    """ENV values in effect in a stage (inherited through FROM <stage>), as written."""
    env: dict[str, str | None] = {}
    for i in reversed(graph.chain(index)):
        for name, (value, _) in facts[i].env.items():
            env[name] = value
    return env


def assigned_word(cmd: Command, name: str) -> SWord | None:
    return cmd.assigned().get(name)
