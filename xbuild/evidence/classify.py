"""Does a recipe or script take the target from the environment?

Why it matters: xbuild moves a ``RUN make`` / ``RUN ./build.sh`` stage by
setting ``GOOS/GOARCH/GOARM/CGO_ENABLED`` (Go) or ``CARGO_BUILD_TARGET``/``CC``
(Rust) around it. That is sound only when the build inside passes them through
(``go build`` with nothing set, ``GOARCH=$(GOARCH)`` from the environment,
``GOARCH ?= amd64``) and wrong when it overrides them (``GOARCH=amd64 go build``,
``export GOARCH := amd64``, ``--target x86_64-...``, a loop over GOARCH values, a
``build.go`` that sets GOARCH, ``-march=native``). Anything else is ``unknown``.

GNU make exports a variable the environment defines, with the Makefile's value
when the Makefile assigns it: so ``GOARCH := amd64`` overrides even without
``export``, while ``GOARCH ?= amd64`` keeps the environment's value.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from xbuild.buildcontext import BuildContext
from xbuild.evidence.make import Recipe, script_text
from xbuild.shell import Command, commands, inner_commands
from xbuild.vocabulary import SHELLS, WRAPPERS, WRAPPER_POSITIONALS

PASSES = "passes_through"
OVERRIDES = "overrides"
UNKNOWN = "unknown"

# Variables that carry the target: setting one to a constant ships one architecture.
TARGET_VARS = {"go": ("GOOS", "GOARCH", "GOARM", "GOAMD64", "GO386", "GOMIPS", "GOPPC64",
                      "GORISCV64", "CC", "CXX"),
               "rust": ("CARGO_BUILD_TARGET", "CC", "CXX")}
_NATIVE_CPU = re.compile(r"-march=native|-mcpu=native|-mtune=native|target-cpu=native")
_ASSIGN = re.compile(r"^([A-Za-z_]\w*)=(.*)$", re.S)
_SUBST = re.compile(r"\$\(|`")  # a command substitution (or a make function kept verbatim)


@dataclass(frozen=True)
class BuildEnv:
    """The verdict on one recipe/script: ``passes_through``, ``overrides`` or ``unknown``."""

    verdict: str
    line: str = ""  # the line that overrides, or that could not be read
    why: str = ""
    builds: tuple[str, ...] = ()  # the build command lines found
    cgo: str | None = None  # a CGO_ENABLED value the recipe sets itself

    @property
    def passes_through(self) -> bool:
        return self.verdict == PASSES


def _passthrough_value(name: str, value: str) -> bool:
    v = value.strip("\"'")
    if name == "GOOS" and v == "linux":
        return True  # every platform xbuild targets is linux/*
    return bool(re.fullmatch(r"\$\{?" + name + r"(?:\}|:?-[^}]*\})?|\$\(" + name + r"\)", v))


class _Classifier:
    def __init__(self, lang: str, ctx: BuildContext | None, unresolved: tuple[str, ...]):
        self.lang, self.ctx, self.unresolved = lang, ctx, unresolved
        self.builds: list[str] = []
        self.cgo: str | None = None

    def verdict_for_assign(self, name: str, value: str, where: str) -> BuildEnv | None:
        if name == "CGO_ENABLED":
            self.cgo = value.strip("\"'")
            return None
        if name not in TARGET_VARS[self.lang] or _passthrough_value(name, value):
            return None
        if _SUBST.search(value) or any(u in value for u in self.unresolved):
            return BuildEnv(UNKNOWN, where, f"{name} comes from a command or expression xbuild "
                                            "cannot evaluate")
        return BuildEnv(OVERRIDES, where, f"sets {name}={value} itself")

    def line(self, raw: str, scope: dict[str, str], depth: int) -> BuildEnv | None:
        if _NATIVE_CPU.search(raw):
            return BuildEnv(OVERRIDES, raw, "builds for the build machine's CPU (native CPU flags)")
        for top in commands(raw, lambda o: o):
            inner = inner_commands(top, WRAPPERS, WRAPPER_POSITIONALS, SHELLS)
            runs_other = top.name in WRAPPERS or (top.name in SHELLS and any(
                c.via == "sh -c" for c in inner))
            for cmd in ([] if runs_other else [top]) + [c for c in inner if c.via != "$(...)"]:
                found = self.command(cmd, raw, scope, depth)
                if found is not None:
                    return found
        return None

    def command(self, cmd: Command, raw: str, scope: dict[str, str],
                depth: int) -> BuildEnv | None:
        if cmd.name in ("for", "case", "select"):
            return None  # the loop variable is the shell's, not the environment's
        for word in cmd.assigns:
            name, value = word.value.split("=", 1)
            found = self.verdict_for_assign(name, value, raw)
            if found is not None:
                return found
            if cmd.export or not cmd.words:
                scope[name] = value
        if not cmd.words:
            return None
        return self.tool([w.text for w in cmd.words], raw, depth)

    def tool(self, words: list[str], raw: str, depth: int) -> BuildEnv | None:
        cmd, args = words[0], words[1:]
        if _SUBST.search(cmd) or any(u in cmd for u in self.unresolved):
            return BuildEnv(UNKNOWN, raw, "the command is an expression xbuild cannot evaluate")
        sub = args[0] if args else ""
        if self.lang == "go" and cmd.endswith("go") and cmd.rsplit("/", 1)[-1] == "go":
            if sub in ("build", "install"):
                self.builds.append(raw)
            elif sub == "env" and "-w" in args:
                for a in args:
                    m = _ASSIGN.match(a)
                    if m and (found := self.verdict_for_assign(m[1], m[2], raw)) is not None:
                        return found
            elif sub == "run":
                return self.go_run(args[1:], raw)
            return None
        if self.lang == "rust" and cmd.rsplit("/", 1)[-1] in ("cargo", "cross") and sub in (
                "build", "install", "rustc", "zigbuild", "auditable"):
            return self.cargo(cmd, args, raw)
        if cmd in ("make", "gmake") or cmd.endswith("/make"):
            return BuildEnv(UNKNOWN, raw, "runs another make (another folder or file)")
        script = args[0] if cmd in SHELLS and args else cmd
        if script.endswith(".sh") or (cmd.startswith("./") and script == cmd):
            return self.script(script, raw, depth)
        return None

    def cargo(self, cmd: str, args: list[str], raw: str) -> BuildEnv | None:
        if cmd.endswith("cross"):
            return BuildEnv(UNKNOWN, raw, "`cross` builds in its own container")
        for i, a in enumerate(args):
            value = None
            if a == "--target" and i + 1 < len(args):
                value = args[i + 1]
            elif a.startswith("--target="):
                value = a.split("=", 1)[1]
            elif a.startswith("--config") and "build.target" in " ".join(args[i:i + 2]):
                return BuildEnv(OVERRIDES, raw, "sets build.target with --config")
            if _SUBST.search(a) or any(u in a for u in self.unresolved):
                return BuildEnv(UNKNOWN, raw, f"cargo argument {a!r} cannot be evaluated")
            if value is not None and not _passthrough_value("CARGO_BUILD_TARGET", value):
                why = ("the target comes from another variable" if "$" in value
                       else f"builds --target {value}")
                return BuildEnv(OVERRIDES if "$" not in value else UNKNOWN, raw, why)
        self.builds.append(raw)
        return None

    def go_run(self, args: list[str], raw: str) -> BuildEnv:
        files = [a for a in args if a.endswith(".go") or a.startswith("./")]
        text = "".join((self.ctx.read(f.lstrip("./")) or "") for f in files) if self.ctx else ""
        m = re.search(r'"(GOARCH|GOOS)=|Setenv\(\s*"(GOARCH|GOOS)"', text)
        if m:
            name = m.group(1) or m.group(2)
            return BuildEnv(OVERRIDES, raw, f"runs a Go build program that sets {name} itself")
        return BuildEnv(UNKNOWN, raw, "runs a Go build program xbuild cannot see into")

    def script(self, path: str, raw: str, depth: int) -> BuildEnv | None:
        text = script_text(self.ctx, path) if self.ctx is not None and depth < 2 else None
        if text is None:
            return BuildEnv(UNKNOWN, raw, f"runs {path}, which is not in the build context"
                            if self.ctx is not None else f"runs {path} (no build context)")
        return self.lines(text.replace("\\\n", " ").splitlines(), depth + 1, shared=True)

    def lines(self, lines: list[str], depth: int, shared: bool = False) -> BuildEnv | None:
        scope: dict[str, str] = {}
        for raw in lines:
            found = self.line(raw, scope if shared else {}, depth)
            if found is not None:
                return found
        return None


def classify_recipe(recipe: Recipe | list[str] | tuple[str, ...], lang: str,
                    ctx: BuildContext | None = None) -> BuildEnv:
    """Whether ``recipe`` (a ``make_recipe`` result, or a script's shell lines) passes
    the target environment of ``lang`` ("go" or "rust") through to its compiler."""
    if lang not in TARGET_VARS:
        raise ValueError(f"lang must be one of {', '.join(TARGET_VARS)}")
    unresolved: tuple[str, ...] = ()
    c = _Classifier(lang, ctx, unresolved)
    if isinstance(recipe, Recipe):
        if not recipe.known:
            return BuildEnv(UNKNOWN, "", recipe.unknown)
        c.unresolved = recipe.unresolved
        for var in recipe.variables:
            where = f"{recipe.file}:{var.line}: {var.name} {var.op} {var.value}"
            if var.name not in TARGET_VARS[lang] and var.name != "CGO_ENABLED":
                continue
            if var.conditional:
                return BuildEnv(UNKNOWN, where, f"{var.name} is set inside a conditional")
            if var.op in ("!=", "define"):
                return BuildEnv(UNKNOWN, where, f"{var.name} comes from a command or expression "
                                                "xbuild cannot evaluate")
            if var.op != "?=" and (found := c.verdict_for_assign(var.name, var.value, where)):
                return found
        lines: list[str] = list(recipe.lines)
    else:
        lines = list(recipe)
    found = c.lines(lines, 0, shared=not isinstance(recipe, Recipe))
    if found is not None:
        return found
    if lang == "rust" and ctx is not None:
        for rel in (".cargo/config.toml", ".cargo/config"):
            m = re.search(r"(?m)^\s*target\s*=\s*(.+)$", ctx.read(rel) or "")
            if m:
                return BuildEnv(OVERRIDES, f"{rel}: {m.group(0).strip()}",
                                "the project's cargo config sets build.target")
    if not c.builds:
        return BuildEnv(UNKNOWN, "", "runs no " + ("go build" if lang == "go" else "cargo build"),
                        cgo=c.cgo)
    return BuildEnv(PASSES, "", "", tuple(c.builds), c.cgo)
