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
from xbuild.shell import Command, SWord, commands

# Kinds of step.
GO_BUILD = "go-build"  # go build / go install of the project: must cross-compile
GO_TOOL = "go-tool"  # go install pkg@version: a tool the build runs, stays native
GO_RUN = "go-run"  # go run / go generate / go test / go vet: runs on the build host
GO_NEUTRAL = "go-neutral"  # go mod download / go env / go version: platform-neutral
XX = "xx"  # tonistiigi/xx helpers: already cross
PKG = "pkg"  # apk/apt-get/... installs
NODE = "node"  # npm/yarn/pnpm/npx/bun: JS tooling
INDIRECT = "indirect"  # make / task / mage: compiles out of our sight
SCRIPT = "script"  # ./build.sh: may compile, may not; opaque either way
EXEC_LOCAL = "exec-local"  # runs ./something or /abs/path (maybe what was built)
INSPECT = "inspect"  # ldd / file / readelf of a binary (harvests target libs)
CARGO = "cargo"
CC = "cc"
NEUTRAL = "neutral"  # coreutils, git, curl, echo ...
OTHER = "other"

_NEUTRAL_CMDS = frozenset("""
cd mkdir cp mv rm ln ls cat echo printf touch chmod chown chgrp true false test [ set export
tar gzip gunzip unzip xz bzip2 zstd curl wget git sed awk grep find xargs sort uniq head tail tr
cut tee env sh bash dash ash install id useradd adduser addgroup groupadd usermod update-ca-certificates
sha256sum sha512sum md5sum base64 date sleep wc basename dirname realpath readlink pwd exit
upx strip rustup protoc templ swag sqlc buf stringer mockgen go-bindata statik wire
""".split())
_PKG_CMDS = frozenset({"apk", "apt-get", "apt", "dpkg", "yum", "dnf", "microdnf", "tdnf", "zypper",
                       "pacman", "xx-apk", "xx-apt-get", "xx-apt"})
_NODE_CMDS = frozenset({"npm", "yarn", "pnpm", "npx", "bun", "corepack", "node"})
_INDIRECT_CMDS = frozenset({"make", "gmake", "task", "mage", "just", "bazel", "goreleaser", "scons"})
_C_COMPILERS = frozenset({"gcc", "cc", "g++", "c++", "clang", "clang++", "cmake", "meson",
                          "ninja", "./configure", "configure", "autoreconf"})
# Packages that put a C compiler in a builder (so Go would turn cgo on natively).
C_TOOLCHAIN_PKGS = frozenset({"gcc", "g++", "build-base", "build-essential", "clang", "musl-dev",
                              "libc6-dev", "libc-dev", "alpine-sdk"})
_GO_VERSION_PIN = re.compile(r"@[^\s]+$")


@dataclass(frozen=True)
class Step:
    ins: Instruction
    cmd: Command
    kind: str

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
    opaque: list[tuple[Instruction, str]] = field(default_factory=list)  # scripts we can't read
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
        return any(n.startswith("TARGET") for n in self.args) or any(
            "TARGET" in (ins.logical) for ins in self.stage.instructions[1:])


def run_scripts(ins: Instruction, text: str) -> list[tuple[str, object]]:
    """The shell scripts a RUN executes: its command line and any heredoc that
    is the script itself (``RUN <<EOF``), each with an offset mapper."""
    out: list[tuple[str, object]] = []
    rest = ins.rest
    words = [w.value for w in split_words(rest)]
    heredoc_words = [w for w in words if re.match(r"^\d*<<-?", w)]
    if ins.heredocs and words and words[0] in heredoc_words and all(
            w in heredoc_words or w in ("sh", "bash", "ash", "/bin/sh", "/bin/bash")
            or w.startswith("-") for w in words):
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
    name = cmd.name
    args = cmd.args
    if name in ("go",) and args:
        sub = next((a for a in args if not a.startswith("-")), "")
        if sub in ("build", "install"):
            pkgs = [a for a in args[args.index(sub) + 1:] if not a.startswith("-")]
            if sub == "install" and pkgs and all(_GO_VERSION_PIN.search(p) for p in pkgs):
                return GO_TOOL
            return GO_BUILD
        if sub in ("run", "generate", "test", "vet", "tool"):
            return GO_RUN
        return GO_NEUTRAL
    if name.startswith("xx-"):
        return PKG if name in _PKG_CMDS else XX
    if name in _PKG_CMDS:
        return PKG
    if name in _NODE_CMDS:
        return NODE
    if name in _INDIRECT_CMDS:
        return INDIRECT
    if name in ("cargo", "rustc", "cross", "maturin"):
        # dependency fetching and cargo-chef's recipe step compile nothing
        sub = [a for a in args if not a.startswith(("-", "+"))][:2]
        if name == "cargo" and (sub[:1] in (["fetch"], ["vendor"], ["metadata"],
                                            ["generate-lockfile"], ["version"]) or
                                sub == ["chef", "prepare"] or args[:1] in (["--version"], ["-V"])):
            return NEUTRAL
        return CARGO
    if name in _C_COMPILERS or re.match(r"^[a-z0-9_]+-linux-gnu[a-z]*-(gcc|g\+\+|cc)$", name):
        return CC
    if name in ("ldd", "file", "readelf", "objdump", "lddtree"):
        return INSPECT
    if name.startswith("./") or (name.startswith("/") and not re.match(
            r"^/(usr/)?(local/)?s?bin/", name)):
        if name.endswith("configure"):
            return CC
        if name.endswith(".sh"):
            return SCRIPT
        return EXEC_LOCAL
    if name in _NEUTRAL_CMDS or not name:
        return NEUTRAL
    return OTHER


def stage_facts(df: Dockerfile, stage: Stage) -> StageFacts:
    facts = StageFacts(stage)
    for ins in stage.instructions[1:]:
        if ins.cmd == "ENV":
            for name, value in env_pairs(ins.rest):
                facts.env[name] = (value, ins)
        elif ins.cmd == "ARG":
            for name, value in arg_pairs(ins.rest):
                facts.args[name] = (value, ins)
        elif ins.cmd == "RUN":
            scripts = run_scripts(ins, df.text)
            if not scripts and ins.is_json:
                facts.opaque.append((ins, "exec-form RUN"))
            for script, mapper in scripts:
                for cmd in commands(script, mapper):  # type: ignore[arg-type]
                    kind = classify(cmd)
                    facts.steps.append(Step(ins, cmd, kind))
                    if kind == PKG:
                        facts.packages.update(_packages(cmd))
                    if cmd.name in ("sh", "bash") and "-c" in cmd.args:
                        facts.opaque.append((ins, "sh -c script"))
    return facts


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
