"""``xbuild doctor``: can this machine build the requested platforms, and what fixes it?

Each check is a pure function of a tool's recorded output (``docker version``,
``docker buildx version``, ``docker buildx inspect``, ``docker info``, the
binfmt_misc entries), so the parsing is unit-tested on real outputs from the
rig; only ``gather`` runs processes and reads /proc.

Facts checked, with where they come from:
- A multi-platform result needs a builder that can export one: the
  ``docker-container`` (or kubernetes/remote) driver, or the ``docker`` driver
  with the containerd image store (``docker info`` DriverStatus
  ``driver-type = io.containerd.snapshotter.v1``).
  https://docs.docker.com/build/building/multi-platform/
- A RUN step of a foreign platform needs a binfmt_misc handler (QEMU) with the
  F flag ("fix binary": the interpreter is opened at registration, so it works
  inside containers whose root lacks it). https://docs.kernel.org/admin-guide/binfmt-misc.html
"""

from __future__ import annotations

import json
import os
import re
import subprocess
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from xbuild.platforms import PLATFORMS, Platform, lookup

Runner = Callable[[list[str]], "tuple[int, str, str]"]

FIX_BUILDER = "docker buildx create --use --name xbuild --driver docker-container --bootstrap"
FIX_CONTAINERD_STORE = ('or enable the containerd image store: add "features": {"containerd-snapshotter": true} '
                        "to /etc/docker/daemon.json and restart dockerd")
FIX_DOCKER = "start the Docker daemon (systemctl start docker, or dockerd &) and check `docker version`"
FIX_BUILDX = "install buildx: apt-get install docker-buildx (Debian 13) or docker-buildx-plugin (Docker's repo)"

# binfmt_misc handler names and tonistiigi/binfmt arguments: xbuild.platforms.
QEMU_HANDLER: dict[str, tuple[str, str]] = {p.name: (p.qemu_handler, p.binfmt_arg) for p in PLATFORMS}
# Platforms a host runs without emulation: x86-64 kernels run i386 code natively
# (IA32 emulation); arm64 hosts usually run arm/v7 and arm/v6 (AArch32), though not all do.
ALSO_NATIVE = {"linux/amd64": ("linux/386",), "linux/arm64": ("linux/arm/v7", "linux/arm/v6")}

OK, WARN, FAIL = "ok", "warn", "FAIL"


@dataclass
class Check:
    name: str
    status: str  # ok | warn | FAIL
    detail: str
    fixes: list[str] = field(default_factory=list)


@dataclass
class Builder:
    name: str = ""
    driver: str = ""
    status: str = ""
    platforms: tuple[str, ...] = ()


@dataclass
class Binfmt:
    name: str
    enabled: bool
    interpreter: str
    flags: str


# ---------------------------------------------------------------- parsers

def parse_docker_version(text: str) -> tuple[str | None, str | None]:
    """(client version, server version) from ``docker version --format '{{json .}}'``."""
    try:
        doc = json.loads(text.strip().splitlines()[0]) if text.strip() else {}
    except ValueError:
        return None, None
    client = (doc.get("Client") or {}).get("Version")
    server = (doc.get("Server") or {}).get("Version") if doc.get("Server") else None
    return client, server


_BUILDX_VERSION = re.compile(r"^\S*buildx\S*\s+v?(\d+\.\d+\.\d+\S*)")


def parse_buildx_version(text: str) -> str | None:
    """``github.com/docker/buildx v0.13.1 abc`` -> ``0.13.1``."""
    m = _BUILDX_VERSION.match(text.strip())
    return m.group(1) if m else None


def parse_buildx_inspect(text: str) -> Builder:
    """Name, driver, status and platforms from ``docker buildx inspect`` (text form)."""
    b = Builder()
    platforms: list[str] = []
    for line in text.splitlines():
        key, sep, value = line.partition(":")
        if not sep:
            continue
        key, value = key.strip(), value.strip()
        if key == "Name" and not b.name:
            b.name = value
        elif key == "Driver" and not b.driver:
            b.driver = value
        elif key == "Status" and not b.status:
            b.status = value
        elif key == "Platforms":
            for p in value.split(","):
                p = p.strip().rstrip("*")
                if p and p not in platforms:
                    platforms.append(p)
    b.platforms = tuple(platforms)
    return b


def parse_docker_info(text: str) -> dict[str, Any]:
    try:
        doc = json.loads(text)
    except ValueError:
        return {}
    return doc if isinstance(doc, dict) else {}


def containerd_store(info: dict[str, Any]) -> bool:
    """True when dockerd uses the containerd image store (``docker info`` DriverStatus)."""
    for pair in info.get("DriverStatus") or []:
        if isinstance(pair, list) and len(pair) == 2 and pair[0] == "driver-type" \
                and pair[1] == "io.containerd.snapshotter.v1":
            return True
    return False


def parse_binfmt(name: str, text: str) -> Binfmt:
    """One /proc/sys/fs/binfmt_misc/<name> entry."""
    lines = text.splitlines()
    enabled = bool(lines) and lines[0].strip() == "enabled"
    interp = flags = ""
    for line in lines[1:]:
        if line.startswith("interpreter "):
            interp = line.split(" ", 1)[1].strip()
        elif line.startswith("flags:"):
            flags = line.split(":", 1)[1].strip()
    return Binfmt(name=name, enabled=enabled, interpreter=interp, flags=flags)


def host_platform(arch: str) -> Platform | None:
    """The platform of a ``uname -m`` machine name (``docker info`` Architecture)."""
    for p in PLATFORMS:
        if arch in (p.alpine_arch, p.goarch) and p.variant == "":
            return p
    return None


# ---------------------------------------------------------------- the checks

@dataclass
class Facts:
    """Everything doctor looked at, as raw outputs (None: the command failed)."""

    docker_version: str | None = None
    docker_error: str = ""
    buildx_version: str | None = None
    buildx_inspect: str | None = None
    buildx_error: str = ""
    docker_info: str | None = None
    binfmt: dict[str, str | None] = field(default_factory=dict)  # handler -> file text
    binfmt_mounted: bool = True


def diagnose(facts: Facts, platforms: tuple[str, ...], dockerfile_text: str | None = None,
             dockerfile_path: str = "Dockerfile", target: str | None = None) -> list[Check]:
    checks: list[Check] = []
    client, server = parse_docker_version(facts.docker_version or "")
    if client is None:
        checks.append(Check("docker", FAIL, "the docker CLI is not installed or does not run"
                            + (f" ({facts.docker_error})" if facts.docker_error else ""),
                            ["install Docker: apt-get install docker.io (Debian) or docker-ce"]))
        return checks
    if server is None:
        checks.append(Check("docker", FAIL, f"client {client}; cannot reach the Docker daemon"
                            + (f" ({facts.docker_error})" if facts.docker_error else ""), [FIX_DOCKER]))
        return checks
    checks.append(Check("docker", OK, f"client {client}, server {server}"))

    bx = parse_buildx_version(facts.buildx_version or "")
    if bx is None:
        checks.append(Check("buildx", FAIL, "docker buildx is not installed", [FIX_BUILDX]))
        return checks
    checks.append(Check("buildx", OK, bx))

    builder = parse_buildx_inspect(facts.buildx_inspect or "")
    if not builder.driver:
        checks.append(Check("builder", FAIL, "`docker buildx inspect` failed"
                            + (f": {facts.buildx_error}" if facts.buildx_error else ""), [FIX_BUILDER]))
        return checks
    state = f", {builder.status}" if builder.status else ""
    checks.append(Check("builder", OK if builder.status in ("running", "") else WARN,
                        f"{builder.name} (driver {builder.driver}{state}); platforms "
                        f"{', '.join(builder.platforms) or 'none listed'}",
                        [] if builder.status in ("running", "") else
                        [f"docker buildx inspect --bootstrap {builder.name}"]))

    checks.append(nodes_check(facts.buildx_inspect or "", platforms))

    info = parse_docker_info(facts.docker_info or "")
    multi = len(platforms) > 1
    if builder.driver in ("docker-container", "kubernetes", "remote"):
        checks.append(Check("multi-platform", OK, f"driver {builder.driver} exports multi-platform images"))
    elif builder.driver == "docker" and containerd_store(info):
        checks.append(Check("multi-platform", OK, "driver docker with the containerd image store "
                            "(io.containerd.snapshotter.v1): multi-platform images build, load and push"))
    else:
        checks.append(Check("multi-platform", FAIL if multi else WARN,
                            f"driver {builder.driver} on the classic image store builds one platform at "
                            "a time; a multi-platform build (and its --push or --load) fails",
                            [FIX_BUILDER, FIX_CONTAINERD_STORE]))

    host = host_platform(str(info.get("Architecture", "")))
    native = set()
    if host is not None:
        native.add(host.name)
        native.update(ALSO_NATIVE.get(host.name, ()))

    # Which RUN steps still execute emulated, per platform: the core's own analysis
    # (xbuild.emulation: the FROM chain's --platform, data flow from the exported stage).
    emulated: dict[str, list[Any]] = {}
    if dockerfile_text is not None:
        from xbuild.emulation import machine_platform, stage_runs

        build = host.name if host is not None else machine_platform()
        for name in platforms:
            stages = stage_runs(dockerfile_text, lookup(name).name, build, target, dockerfile_path)
            emulated[name] = [s for s in stages if s.emulated(build)]
        foreign = sorted({(s.index, s.label, s.line, len(s.runs)) for v in emulated.values() for s in v})
        if foreign:
            where = "; ".join(f"stage {label} (line {line}): {n} RUN" for _i, label, line, n in foreign)
            checks.append(Check("Dockerfile", OK, f"{dockerfile_path}: after conversion, RUN steps that still "
                                f"run emulated on foreign platforms: {where}"))
        else:
            checks.append(Check("Dockerfile", OK, f"{dockerfile_path}: after conversion no RUN step runs "
                                "emulated; foreign platforms need no QEMU"))

    for name in platforms:
        canonical = lookup(name).name
        if canonical in native:
            checks.append(Check(name, OK, "native"))
            continue
        handler, install = QEMU_HANDLER.get(canonical, (None, None))
        fix = f"docker run --privileged --rm tonistiigi/binfmt --install {install}" if install else ""
        fix_debian = ("or on Debian/Ubuntu: apt-get install qemu-user-static binfmt-support "
                      f"&& update-binfmts --enable {handler}") if handler else ""
        fixes = [f for f in (fix, fix_debian) if f]
        raw = facts.binfmt.get(handler) if handler else None
        if not facts.binfmt_mounted:
            entry = None
            detail = "binfmt_misc is not mounted (mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc)"
        elif raw is None or handler is None:
            entry = None
            detail = f"no emulation registered (/proc/sys/fs/binfmt_misc/{handler} missing)"
        else:
            entry = parse_binfmt(handler, raw)
            detail = ""
        if entry is not None and entry.enabled and "F" in entry.flags:
            listed = "" if not builder.platforms or canonical in builder.platforms else \
                f"; the builder does not list {canonical} yet (restart it: docker buildx stop)"
            checks.append(Check(name, OK if not listed else WARN,
                                f"emulated by {entry.interpreter} (flags {entry.flags}){listed}"))
            continue
        if entry is not None:
            if not entry.enabled:
                detail = f"{handler} is registered but disabled"
            else:
                detail = (f"{handler} lacks the F flag (flags {entry.flags or 'none'}): the interpreter is "
                          "not found inside containers")
        if dockerfile_text is not None and not emulated.get(name):
            checks.append(Check(name, OK, f"{detail}; not needed: no RUN step runs as {name}"))
        else:
            checks.append(Check(name, FAIL, detail + ("" if dockerfile_text is None else
                                                      "; needed by the RUN steps on the target platform"),
                                fixes))
    return checks


def nodes_check(inspect_text: str, platforms: tuple[str, ...]) -> Check:
    """The builder's nodes, what each runs natively, and whether conversion still pays."""
    from xbuild.nodes import parse_nodes, placement, summary

    nodes = parse_nodes(inspect_text)
    lines, all_native = summary(nodes, platforms)
    emulated = [p for p, node in placement(nodes, platforms).items() if node is None]
    verdict = ("every requested platform has a native node: `xbuild build --distribute` runs each there; "
               "conversion gains little" if all_native else
               f"emulated on every node: {', '.join(emulated)}; conversion still pays (cross-compile "
               "instead of QEMU)")
    return Check("nodes", OK, "; ".join(lines + [verdict]))


def can_build(checks: list[Check]) -> bool:
    return all(c.status != FAIL for c in checks)


def format_checks(checks: list[Check]) -> str:
    lines = []
    for c in checks:
        lines.append(f"{c.status:<5} {c.name}: {c.detail}")
        for fix in c.fixes:
            lines.append(f"      fix: {fix}")
    return "\n".join(lines)


# ---------------------------------------------------------------- gathering (processes, /proc)

def _run(argv: list[str]) -> tuple[int, str, str]:
    try:
        p = subprocess.run(argv, capture_output=True, text=True, timeout=60, stdin=subprocess.DEVNULL)
    except FileNotFoundError:
        return 127, "", f"{argv[0]}: not found"
    except subprocess.TimeoutExpired:
        return 124, "", f"{' '.join(argv[:3])}: timed out after 60 s"
    return p.returncode, p.stdout, p.stderr


def _first_error_line(err: str) -> str:
    for line in err.splitlines():
        if line.strip():
            return line.strip()
    return ""


def gather(platforms: tuple[str, ...], builder: str | None = None, run: Runner = _run,
           binfmt_dir: str = "/proc/sys/fs/binfmt_misc") -> Facts:
    facts = Facts()
    rc, out, err = run(["docker", "version", "--format", "{{json .}}"])
    facts.docker_version = out or None
    facts.docker_error = _first_error_line(err)
    rc, out, err = run(["docker", "buildx", "version"])
    facts.buildx_version = out if rc == 0 else None
    inspect = ["docker", "buildx", "inspect"] + ([builder] if builder else [])
    rc, out, err = run(inspect)
    facts.buildx_inspect = out if rc == 0 else None
    facts.buildx_error = _first_error_line(err)
    rc, out, err = run(["docker", "info", "--format", "{{json .}}"])
    facts.docker_info = out if rc == 0 else None
    facts.binfmt_mounted = os.path.exists(os.path.join(binfmt_dir, "register"))
    for name in platforms:
        handler = QEMU_HANDLER.get(lookup(name).name, (None, None))[0]
        if handler is None:
            continue
        try:
            with open(os.path.join(binfmt_dir, handler)) as fh:
                facts.binfmt[handler] = fh.read()
        except OSError:
            facts.binfmt[handler] = None
    return facts
