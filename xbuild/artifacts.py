"""Follow the artifacts: what leaves a stage, and whether it was built for the target.

A stage moved to $BUILDPLATFORM builds with the build machine's tools. Its
target compiles are rewritten to cross-compile; everything else it makes or
installs is the build machine's: packages (``apk add tini``), tools installed with
``go install tool@v`` or ``cargo install``, node_modules (native addons), Python
wheels and venvs, the compiler image's own files. Such files may be used inside
the stage; when they *leave* it (``COPY --from``, ``RUN --mount=from=``), the
image would ship them for the wrong architecture, so the move is refused.

``export_blockers`` checks every path that leaves a stage against

- outputs of native steps (tools, node_modules, pip targets, venvs, wheels),
  tracked through ``cp``/``mv``/``install`` in the stage;
- the system directories that packages and the base image fill (``/usr/bin``,
  ``/usr/lib``, ``/usr/local`` ...), unless the path is one a target compile
  wrote (``go build -o /usr/local/bin/app``, ``make install`` of the cross build);
- node_modules and ``*.whl`` anywhere in the path.

Paths inside the stage's sources (``/src/config.yaml``) and arch-neutral data
(``/etc``, ``/usr/share``: FHS's architecture-independent tree) may leave.
"""

from __future__ import annotations

import fnmatch
import posixpath
import re
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from xbuild.cargo import cargo_role
from xbuild.images import Image
from xbuild.mounts import mounts
from xbuild.vocabulary import (
    CARGO,
    CC,
    GO_BUILD,
    GO_TOOL,
    INDIRECT,
    JS_EXE,
    NODE,
    PYTHON,
)

if TYPE_CHECKING:
    from xbuild.analysis import Step
    from xbuild.context import Context

# Filled by packages and base images for the build machine's architecture.
SYSTEM_DIRS = ("/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32", "/usr/bin", "/usr/sbin",
               "/usr/lib", "/usr/lib32", "/usr/lib64", "/usr/libexec", "/usr/local", "/opt",
               "/usr/local/go", "/usr/local/cargo", "/usr/local/rustup", "/root/.cargo",
               "/go/pkg", "/root/.rustup")
# Architecture-independent by definition (FHS) or by content.
NEUTRAL_DIRS = ("/usr/share", "/usr/local/share", "/etc", "/usr/include", "/usr/local/include")
_GLOB = re.compile(r"[*?\[]")


@dataclass(frozen=True)
class Output:
    path: str  # absolute, normalised
    line: int
    what: str
    product: bool  # written by a target compile (or copied from one)
    tool: bool = False  # a build-machine tool installed into a bin dir (go/cargo install)
    step: Step | None = field(default=None, compare=False)  # the step that wrote it


def _norm(path: str, cwd: str) -> str:
    path = path.strip("'\"")
    if not path.startswith("/"):
        path = posixpath.join(cwd, path)
    return posixpath.normpath(path) if path else "/"


def _under(path: str, top: str) -> bool:
    return path == top or top == "/" or path.startswith(top.rstrip("/") + "/")


def _overlap(a: str, b: str) -> bool:
    return _under(a, b) or _under(b, a)


def _opt(args: list[str], *names: str) -> str | None:
    for k, a in enumerate(args):
        for n in names:
            if a == n and k + 1 < len(args):
                return args[k + 1]
            if n.startswith("--") and a.startswith(n + "="):
                return a[len(n) + 1:]
            if not n.startswith("--") and a.startswith(n) and len(a) > len(n):
                return a[len(n):]
    return None


def _image(ctx: Context, index: int) -> Image:
    g = ctx.graph
    return Image(g.resolved_base.get(g.root(index), ""))


class _Tracker:
    """Walks a stage chain's steps in order, tracking the working directory."""

    def __init__(self, ctx: Context, index: int) -> None:
        self.ctx = ctx
        self.index = index
        image = _image(ctx, index)
        env = {k: v for k, v in ctx.env(index).items() if v}
        self.gopath = env.get("GOPATH", "/go" if image.golang else "/root/go")
        self.gobin = env.get("GOBIN")
        self.cargo_home = env.get("CARGO_HOME", image.cargo_home)
        self.outputs: list[Output] = []
        self.prefix = "/usr/local"  # ./configure --prefix / cmake -DCMAKE_INSTALL_PREFIX

    def add(self, path: str, line: int, what: str, product: bool, tool: bool = False,
            step: Step | None = None) -> None:
        self.outputs.append(Output(path, line, what, product, tool, step))

    def walk(self) -> list[Output]:
        ctx = self.ctx
        for i in reversed(ctx.graph.chain(self.index)):
            cwd = "/go" if _image(ctx, i).golang else "/"
            facts = ctx.facts[i]
            for ins in facts.stage.instructions[1:]:
                if ins.cmd == "WORKDIR":
                    cwd = _norm(ins.rest.strip(), cwd)
                elif ins.cmd == "RUN":
                    here = cwd
                    for step in facts.steps_of(ins):
                        if step.cmd.name == "cd" and step.cmd.args and not step.cmd.nested:
                            here = _norm(step.cmd.args[0], here)
                        self.step(step, here)
        return self.outputs

    def step(self, step: Step, cwd: str) -> None:

        cmd, kind, line = step.cmd, step.kind, step.line
        args = cmd.args
        if cmd.name in ("xx-go", "xx-cargo"):  # xx's wrappers: target compiles
            kind = GO_BUILD if cmd.name == "xx-go" else CARGO
            if args[:1] == ["install"] and cmd.name == "xx-cargo":
                self.add(posixpath.join(self.cargo_home, "bin"), line, f"`{cmd.name}`", True)
                return
        said = " ".join([cmd.name] + args[:2])
        if kind == GO_TOOL:
            bindir = self.gobin or posixpath.join(self.gopath, "bin")
            for a in args[1:]:
                if "@" in a and not a.startswith("-"):
                    elems = [e for e in a.split("@", 1)[0].split("/") if e]
                    if len(elems) > 1 and re.fullmatch(r"v\d+", elems[-1]):
                        elems.pop()
                    self.add(posixpath.join(bindir, elems[-1]), line,
                             f"`{said}` (a tool installed for the build machine)", False, tool=True,
                             step=step)
        elif kind == GO_BUILD:
            out = _opt(args, "-o")
            if out:
                self.add(_norm(out, cwd), line, f"`{said}`", True)
            if args[:1] == ["install"]:
                self.add(self.gobin or posixpath.join(self.gopath, "bin"), line, f"`{said}`", True)
        elif kind == CARGO and cmd.name == "cargo":
            role = cargo_role(step)
            if "install" in args or "binstall" in args:
                root = _opt(args, "--root")
                bindir = posixpath.join(_norm(root, cwd), "bin") if root else \
                    posixpath.join(self.cargo_home, "bin")
                if role == "tool" or "binstall" in args:
                    crates = [a for a in args[args.index("binstall" if "binstall" in args
                                                         else "install") + 1:]
                              if not a.startswith("-")]
                    for c in crates[:1] or ["?"]:
                        self.add(posixpath.join(bindir, c.split("@")[0]), line,
                                 f"`{said}` (a tool installed for the build machine)", False, tool=True)
                else:
                    self.add(bindir, line, f"`{said}`", True)
        elif kind == NODE:
            if any(a in ("install", "ci", "i", "add") for a in args) or \
                    (cmd.name in ("yarn", "pnpm", "bun") and not args):
                self.add(posixpath.join(cwd, "node_modules"), line,
                         f"`{said}` (node_modules: native addons build for the build machine)",
                         False)
                for bundle in (".next/standalone", ".output", "build/standalone"):
                    self.add(posixpath.join(cwd, bundle), line,
                             f"`{said}` (a server bundle that carries node_modules)", False)
        elif kind == PYTHON:
            target = _opt(args, "--target", "-t", "--prefix", "--root", "--wheel-dir", "-w")
            if target:
                self.add(_norm(target, cwd), line, f"`{said}` (Python packages for the build "
                                                   "machine)", False)
            elif "venv" in args or cmd.name in ("virtualenv",) or args[:1] == ["venv"]:
                pos = [a for a in args if not a.startswith("-") and a not in ("-m", "venv")]
                self.add(_norm(pos[-1] if pos else ".venv", cwd), line,
                         f"`{said}` (a virtualenv of the build machine)", False)
            elif cmd.name == "maturin" or "wheel" in args or "build" in args:
                self.add(posixpath.join(cwd, "target/wheels"), line, f"`{said}` (wheels)", False)
                self.add(posixpath.join(cwd, "dist"), line, f"`{said}` (wheels)", False)
        elif kind == JS_EXE:
            out = _opt(args, "--outfile", "-o", "--output", "--out-path")
            self.add(_norm(out, cwd) if out else cwd, line, f"`{said}` (an executable of the "
                                                           "build machine)", False)
        elif kind == CC and (cmd.name.endswith("configure") or cmd.name == "cmake") and \
                (_opt(args, "--prefix", "-DCMAKE_INSTALL_PREFIX=") is not None):
            self.prefix = _opt(args, "--prefix", "-DCMAKE_INSTALL_PREFIX=") or self.prefix
        elif kind in (CC, INDIRECT) and ("install" in args or "--install" in args):
            prefix = _opt(args, "--prefix", "PREFIX=", "prefix=") or self.prefix
            dest = _opt(args, "DESTDIR=")
            self.add(_norm(dest + prefix if dest else prefix, cwd), line, f"`{said}`", True)
        elif kind == CC:
            out = _opt(args, "-o")
            if out:
                self.add(_norm(out, cwd), line, f"`{said}`", True)
        elif cmd.name in ("cp", "mv", "install", "ln", "rsync") and len(args) >= 2:
            paths = [a for a in args if not a.startswith("-")]
            if cmd.name == "install":
                paths = [a for k, a in enumerate(args) if not a.startswith("-") and not (
                    k and args[k - 1] in ("-m", "-o", "-g", "--mode", "--owner", "--group"))]
            if len(paths) < 2:
                return
            *srcs, dst = paths
            for src in srcs:
                s = _norm(src, cwd)
                for o in list(self.outputs):
                    if _under(s, o.path) or (_GLOB.search(s) and fnmatch.fnmatch(o.path, s)):
                        self.add(_norm(dst, cwd), line, o.what + f", copied by `{cmd.name}`",
                                 o.product)
                        break


def stage_outputs(ctx: Context, index: int) -> list[Output]:
    """What the steps of a stage (and the stages it is built FROM) write, in order."""
    return _Tracker(ctx, index).walk()


def with_shipped_tools(ctx: Context) -> Context:
    """``ctx`` with new facts in which a ``go install tool@version`` whose binary leaves
    its stage (``COPY --from``, a mount) is what the stage builds for the image, not a
    tool the build runs: its step becomes a go build, so the Go recipe cross-compiles it
    like any other (and XB004 follows it out of ``$GOPATH/bin/<os>_<arch>/``). A tool
    that stays in the stage, or that the stage also runs, keeps running natively (and a
    shipped one is refused). ``ctx`` itself is left as it is."""
    if not any(s.kind == GO_TOOL for f in ctx.facts.values() for s in f.steps):
        return ctx
    # a new dict, and a new StageFacts for each promoted stage: ``ctx``'s are never written.
    # In stage order, so a stage built FROM a promoted one sees its promotion
    new = replace(ctx, facts=dict(ctx.facts))
    for index, facts in new.facts.items():
        if not any(s.kind == GO_TOOL for s in facts.steps):
            continue
        sources = [src for _, ins_index in new.graph.consumers(index)
                   for src in _sources(new, ins_index, index)]
        if not sources:
            continue
        # a tool the stage also runs (templ generate) must stay the build machine's
        ran = {posixpath.basename(s.cmd.name) for s in facts.steps}
        shipped = {id(o.step) for o in stage_outputs(new, index)
                   if o.step is not None and o.step in facts.steps
                   and posixpath.basename(o.path) not in ran
                   and any(_ships(src, o.path) for src in sources)}
        if shipped:
            new.facts[index] = replace(facts, steps=[replace(s, kind=GO_BUILD) if id(s) in shipped
                                                     else s for s in facts.steps], _by_ins=None)
    return new


def _ships(src: str, path: str) -> bool:
    """Whether copying ``src`` (a path, a folder or a glob) takes the file ``path``."""
    if _GLOB.search(src):
        return fnmatch.fnmatch(path, src) or _under(path, _dir_of_glob(src)) and \
            fnmatch.fnmatch(path, src.rstrip("/") + "/*")
    return _under(path, src)


def _sources(ctx: Context, ins_index: int, source_stage: int) -> list[str]:
    """The paths an instruction reads from ``source_stage``."""
    ins = ctx.df.instructions[ins_index]
    if ins.cmd in ("COPY", "ADD"):
        words = [w.value for w in ins.words if not w.value.startswith("--")]
        if ins.is_json:
            import json
            try:
                words = json.loads(ins.rest)
            except ValueError:
                return []
        return [_norm(w, "/") for w in words[:-1]]
    out = []
    st = ctx.df.stages[source_stage]
    names = {str(source_stage), (st.name or "").lower()}
    for m in mounts(ins):
        opts = m.options
        if opts.get("from", "").lower() not in names:
            continue
        out.append(_norm(opts.get("source", opts.get("src", "/")), "/"))
    return out


def _dir_of_glob(path: str) -> str:
    m = _GLOB.search(path)
    if m is None:
        return path
    return posixpath.dirname(path[:m.start()] + "x") or "/"


def export_blockers(ctx: Context, index: int) -> list[tuple[int, str]]:
    """(line, reason) for each path leaving stage ``index`` that is not proven to be
    built for the target or arch-neutral."""
    outputs = stage_outputs(ctx, index)
    label = ctx.df.stages[index].label
    out: list[tuple[int, str]] = []
    for dst, ins_index in ctx.graph.consumers(index):
        ins = ctx.df.instructions[ins_index]
        for src in _sources(ctx, ins_index, index):
            reason = _shipped(src, outputs)
            if reason is not None and "node_modules" in src.split("/"):
                reason = _node_modules_reason(ctx, index, ins_index)
            if reason is not None:
                out.append((ins.line, f"`{src}` leaves `{label}` for "
                                      f"`{ctx.df.stages[dst].label}`: {reason}"))
    return out


def _node_modules_reason(ctx: Context, index: int, ins_index: int) -> str:
    """Why ``node_modules`` may not leave a moved stage, naming the native addons the
    build context shows (``xbuild.evidence.npm``) when it shows any."""
    base = "node_modules holds native addons built for the build machine"
    native = ctx.project_at(index, ctx.df.instructions[ins_index]).npm_native
    if not native:
        return base
    names = [n.package if n.package != "binding.gyp" else f"{n.file} (node-gyp)"
             for n in native]
    shown = ", ".join(f"`{n}`" for n in names[:4]) + (" ..." if len(names) > 4 else "")
    return f"{base}: {shown}"


def _shipped(src: str, outputs: list[Output]) -> str | None:
    parts = src.split("/")
    if "node_modules" in parts:
        return "node_modules holds native addons built for the build machine"
    if src.endswith(".whl") or fnmatch.fnmatch(posixpath.basename(src), "*.whl"):
        return "Python wheels are built for the build machine"
    top = _dir_of_glob(src)
    for o in outputs:
        if not o.product and (_overlap(top, o.path) or (
                _GLOB.search(src) and fnmatch.fnmatch(o.path, src))):
            return f"it holds what {o.what} made on line {o.line}, for the build machine"
    if any(_under(top, p) for p in NEUTRAL_DIRS) and top not in ("/",):
        return None
    made = any(o.product and _under(top, o.path) for o in outputs)
    # a tool's binary need not be named after its package (watchexec-cli -> watchexec)
    tool = next((o for o in reversed(outputs)
                 if o.tool and posixpath.dirname(o.path) == posixpath.dirname(top)), None)
    if tool is not None and not made:
        return (f"it sits where {tool.what} put its binaries on line {tool.line}, for the "
                "build machine")
    system = next((d for d in SYSTEM_DIRS if _overlap(top, d)), None)
    if system is None:
        return None
    if made:
        return None
    return (f"`{system}` holds the build machine's files (packages, the base image's "
            "toolchain); only files a target compile wrote may leave a moved stage")
