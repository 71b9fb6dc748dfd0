"""Render a cross-compiling Dockerfile for a detected project (``xbuild init``).

All decisions are made here, in Python; the jinja2 templates under ``templates/``
hold layout only. Platform facts come from ``xbuild.platforms`` and library
facts from ``xbuild.debpkgs``; the shell ``case`` that maps ``$TARGETPLATFORM``
to a toolchain at build time is generated from that table, never typed by hand.

Rules the output follows, with their sources:
- build stages ``FROM --platform=$BUILDPLATFORM`` and cross-compile
  (https://docs.docker.com/build/building/multi-platform/#cross-compilation);
- ``ARG TARGET...`` redeclared without a default, after the platform-neutral
  dependency download so that layer is shared by every platform
  (https://docs.docker.com/reference/dockerfile/#automatic-platform-args-in-the-global-scope);
- cache mounts that hold per-architecture files carry ``$TARGETPLATFORM`` in their id
  (https://docs.docker.com/reference/dockerfile/#run---mounttypecache);
- no ``# syntax=`` line: it makes BuildKit pull a frontend image from Docker Hub.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import jinja2

import os
import re
from dataclasses import dataclass

from xbuild import crossmap
from xbuild import platforms as plat
from xbuild.errors import UsageError, XBuildError
from xbuild.images import Image
from xbuild.project import CProject, GoProject, Project, RustProject, go_binary_name

# Build images when the project pins nothing. Go and Rust follow the project
# (go.mod's go/toolchain, rust-toolchain, rust-version); these are the floors.
# Go's go line is a minimum, and since Go 1.21 a newer toolchain keeps the language
# semantics of that line (https://go.dev/doc/toolchain), so a floor only avoids
# end-of-life images (golang:1.19 has no current bookworm builds).
DEFAULT_GO = "1.22"
# rust-version is a minimum, and Cargo.lock's dependencies often need a newer
# compiler than the package itself declares: never build with less than this.
DEFAULT_RUST = "1.80"
C_BUILDER = "debian:12"
# Runtime images. glibc builds run on the same Debian release the builders use
# (the -bookworm images), so the binary's glibc symbol versions exist at run time.
GLIBC_RUNTIME = "debian:12-slim"
STATIC_RUNTIME = "scratch"
# 65532 is the "nonroot" uid/gid of distroless images; a number needs no /etc/passwd.
RUNTIME_USER = "65532:65532"
# Where the target's shell variables are kept between RUN steps of the build stage.
TARGET_ENV = crossmap.ENV_FILE

@dataclass(frozen=True)
class Rendered:
    dockerfile: str
    dockerignore: str
    notes: tuple[str, ...]  # things the user should know (unknown libraries, guesses)


# --------------------------------------------------------------------------- templates

def templates_dir() -> str:
    """``xbuild/templates`` next to the installed package, else ``<repo>/templates``."""
    here = os.path.dirname(os.path.abspath(__file__))
    for candidate in (os.path.join(here, "templates"), os.path.join(os.path.dirname(here), "templates")):
        if os.path.isfile(os.path.join(candidate, "go.Dockerfile.j2")):
            return candidate
    raise XBuildError("templates not found (broken installation?)", path=os.path.join(here, "templates"),
                      exit_code=70)


def _environment() -> jinja2.Environment:
    import jinja2

    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(templates_dir()),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,
    )


def render_template(name: str, **context: object) -> str:
    text: str = _environment().get_template(name).render(**context)
    return text


# --------------------------------------------------------------------------- platform case

def cross_setup(platforms: tuple[str, ...], needs: crossmap.Needs) -> dict[str, object]:
    """The template values of the toolchain setup: the same generator as ``convert``."""
    return {"setup_comment": crossmap.comment(needs),
            "setup_lines": crossmap.shell_lines(platforms, needs),
            "meson_cross_file": crossmap.MESON_CROSS_FILE}


def goarm_cases() -> list[dict[str, str]]:
    """TARGETVARIANT -> GOARM for 32-bit arm, from the table (v6->6, v7 or empty->7)."""
    default = plat.ALIASES.get("linux/arm")  # what an arm platform without variant means
    out = []
    for p in plat.PLATFORMS:
        if p.goarm is None:
            continue
        pattern = p.variant + ('|""' if p.name == default else "")
        out.append({"pattern": pattern, "value": p.goarm})
    return out


# --------------------------------------------------------------------------- images

def go_image(project: GoProject) -> str:
    versions = [v for v in (project.go_version, project.toolchain, DEFAULT_GO) if v]
    best = max(versions, key=_vkey)
    return f"golang:{_major_minor(best)}-bookworm"


def rust_image(project: RustProject) -> str:
    channel = project.toolchain_channel
    if channel and re.fullmatch(r"\d+\.\d+(\.\d+)?", channel):
        return f"rust:{channel}-bookworm"  # the pinned toolchain, so rustup has nothing to fetch
    version = DEFAULT_RUST
    if project.rust_version and _vkey(project.rust_version) > _vkey(DEFAULT_RUST):
        version = _major_minor(project.rust_version)
    return f"rust:{version}-bookworm"


def _vkey(v: str) -> tuple[int, ...]:
    return tuple(int(x) for x in re.findall(r"\d+", v)[:3])


def _major_minor(v: str) -> str:
    return ".".join(v.split(".")[:2])


def _is_debian_like(image: str) -> bool:
    return image == GLIBC_RUNTIME or bool(re.search(r"debian|ubuntu|bookworm|trixie|jammy|noble", image))


def _check_runtime(image: str, glibc: bool) -> None:
    if glibc and Image(image).libc in ("musl", "none"):
        raise UsageError(f"--runtime {image}: the binary links glibc (cgo, Rust gnu target or C) and "
                         f"will not start there; use a glibc image such as {GLIBC_RUNTIME}")


# --------------------------------------------------------------------------- render

def render(project: Project, *, platforms: tuple[str, ...] = plat.DEFAULT_PLATFORMS,
           base: str | None = None, runtime: str | None = None) -> Rendered:
    """The Dockerfile and .dockerignore for ``project``."""
    cross_c = not (isinstance(project, GoProject) and not project.cgo)
    if cross_c:
        bad = [p for p in platforms if plat.lookup(p).deb_arch is None]
        if bad:
            raise UsageError(f"--platforms {','.join(bad)}: no Debian cross toolchain for that platform "
                             f"(needed for {_what(project)}); drop it")
    if not project.binaries:
        raise XBuildError("no binary to build", path=project.root)
    notes = [f"no Debian package known for {u}; add it to the apt-get install lines"
             for u in project.libraries.unknown]
    name = _image_name(project)
    entry = project.binaries[0]
    header = [
        f"Generated by `xbuild init` for {_what(project)}.",
        "The build stage runs on the build machine's platform and cross-compiles for the target;",
        "only the final stage runs on (or is emulated as) the target platform.",
        "https://docs.docker.com/build/building/multi-platform/#cross-compilation",
        "Build:",
        f"  docker buildx build --platform {','.join(platforms)} -t {name} .",
    ]
    if len(project.binaries) > 1:
        header.append(f"Binaries in /usr/local/bin: {', '.join(project.binaries)}; "
                      f"the entrypoint is {entry}.")
    header += [f"xbuild: {n}" for n in notes]

    common = {
        "header": header,
        "platform_args": "TARGETPLATFORM",
        "target_env": TARGET_ENV,
        "runtime_user": RUNTIME_USER,
        "entrypoint": f'["/usr/local/bin/{entry}"]',
        "dev_packages": list(project.libraries.dev_packages),
        "runtime_apt": [],
        "runtime_note": "",
        "copy_certs": False,
    }
    glibc = cross_c
    runtime_image = runtime or (GLIBC_RUNTIME if glibc else STATIC_RUNTIME)
    _check_runtime(runtime_image, glibc)
    runtime_pkgs = list(project.libraries.runtime_packages)
    if runtime_pkgs:
        if _is_debian_like(runtime_image):
            common["runtime_apt"] = runtime_pkgs
        else:
            common["runtime_note"] = ("xbuild: the binary needs these Debian packages at run time: "
                                      + " ".join(runtime_pkgs))
    common["runtime_image"] = runtime_image

    if isinstance(project, GoProject):
        tmpl = "go.Dockerfile.j2"
        ctx = dict(common, builder_image=base or go_image(project), cgo=project.cgo,
                   mod_files=" ".join(["go.mod", "go.sum"] if project.has_go_sum else ["go.mod"]),
                   goarm_cases=goarm_cases(),
                   cgo_enabled="1" if project.cgo else "0",
                   packages=" ".join("." if m == "." else f"./{m}" for m in project.mains),
                   platform_args="TARGETPLATFORM TARGETOS TARGETARCH TARGETVARIANT" if project.cgo
                   else "TARGETOS TARGETARCH TARGETVARIANT",
                   **cross_setup(platforms, crossmap.Needs("cgo", tuple(project.libraries.dev_packages))),
                   host_tools=[],
                   # scratch has no CA bundle; the golang image does
                   copy_certs=runtime_image == STATIC_RUNTIME)
    elif isinstance(project, RustProject):
        tmpl = "rust.Dockerfile.j2"
        manifests = ["Cargo.toml"] + (["Cargo.lock"] if project.has_lock else [])
        if project.toolchain_file:
            manifests.append(project.toolchain_file)
        member_copies = [(f"{p.manifest_dir}/Cargo.toml", f"{p.manifest_dir}/")
                         for p in project.packages if p.manifest_dir]
        stub_files = [f for p in project.packages for f in p.target_files]
        stub_dirs = sorted({os.path.dirname(f) for f in stub_files if os.path.dirname(f)})
        ctx = dict(common, builder_image=base or rust_image(project),
                   manifests=" ".join(manifests), member_copies=member_copies,
                   stub_dirs=" ".join(stub_dirs), stub_files=" ".join(stub_files),
                   locked="--locked" if project.has_lock else "",
                   bin_flags=" ".join(f"--bin {b}" for b in project.binaries),
                   binaries=list(project.binaries),
                   host_tools=["pkg-config"] if project.libraries.found else [],
                   **cross_setup(platforms, crossmap.Needs("rust", tuple(project.libraries.dev_packages))))
    else:
        assert isinstance(project, CProject)
        tmpl = "c.Dockerfile.j2"
        ctx = dict(common, builder_image=base or C_BUILDER, build_system=project.build_system,
                   cxx=project.cxx,
                   host_tools=sorted(set(project.host_tools)), binaries=list(project.binaries),
                   autoreconf=not project.has_configure,
                   **cross_setup(platforms, crossmap.Needs(
                       "c", tuple(project.libraries.dev_packages), cxx=project.cxx,
                       cmake=project.build_system == "cmake", meson=project.build_system == "meson",
                       strip=project.build_system == "meson")))
    text = render_template(tmpl, **ctx)
    ignore = render_template("dockerignore.j2", lang=project.lang)
    return Rendered(dockerfile=text, dockerignore=ignore, notes=tuple(notes))


def _what(project: Project) -> str:
    if isinstance(project, GoProject):
        return f"the Go module {project.module}" + (" (cgo)" if project.cgo else "")
    if isinstance(project, RustProject):
        names = ", ".join(p.name for p in project.packages)
        return f"the Rust {'workspace' if project.is_workspace else 'package'} {names}"
    return f"the C{'++' if project.cxx else ''} project {project.name} ({project.build_system})"


def _image_name(project: Project) -> str:
    if isinstance(project, GoProject):
        raw = go_binary_name(project.module, ".")
    elif isinstance(project, RustProject):
        raw = project.packages[0].name if not project.is_workspace else \
            os.path.basename(os.path.abspath(project.root))
    else:
        raw = project.name
    name = re.sub(r"[^a-z0-9._-]+", "-", raw.lower()).strip("-._")
    return name or "app"
