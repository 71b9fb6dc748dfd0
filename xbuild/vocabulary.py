"""The step vocabulary: what each simple command of a RUN is, as one table.

A stage may move to $BUILDPLATFORM only when every step in it has a known class
(default-deny): a command that is not in this table is UNKNOWN, and an unknown
step blocks the move with its line and a reason. Nothing is "neutral" because it
was not recognised.

Classes (``Kind``):

==============  ================================================================
neutral         arch-neutral file and text work: its output is the same bytes on
                any machine (mkdir, cp, ln, chmod, echo, git clone, curl of a
                fixed URL, ``go mod download``, ``cargo fetch``)
pkg             package-manager installs of the *build machine's* packages; fine
                as build tools, a refusal when their files ship
go-build,       target compiles: the recipe rewrites them to cross-compile
cargo, cc
indirect        a build system (make, cmake --build, ninja, bazel...) whose recipe
                lives in the project: converted only when the project's files
                show it passes the target through (or the C recipe drives it)
go-tool,        native build tools: run on the build machine; their outputs must
codegen, node,  stay inside the stage (protoc, templ, ``go install tool@v``,
go-run          ``cargo install cargo-chef``, npm/yarn/pnpm, ``go generate``)
python          pip/venv/wheel work: native; its output shipping is a refusal
js-exe          ``bun build --compile``, ``pkg``, ``deno compile``: a native
                executable of the build machine
arch-query      asks the machine its architecture (``uname -m``, ``dpkg
                --print-architecture``, ``go env GOARCH``...)
host-tool       a build-machine tool that must match the binary it works on
                (strip, upx, objcopy, patchelf)
inspect         reads a built binary's dependencies (ldd, readelf, scanelf)
exec-local      runs a program by path (maybe what was built)
script          runs a script xbuild cannot read (``./build.sh``, ``bash x.sh``)
xx              tonistiigi/xx helpers: already cross
unknown         anything else
==============  ================================================================
"""

from __future__ import annotations

import re

from xbuild.shell import Command

GO_BUILD = "go-build"
GO_TOOL = "go-tool"
GO_RUN = "go-run"
GO_NEUTRAL = "go-neutral"
XX = "xx"
PKG = "pkg"
NODE = "node"
INDIRECT = "indirect"
SCRIPT = "script"
EXEC_LOCAL = "exec-local"
INSPECT = "inspect"
CARGO = "cargo"
CC = "cc"
NEUTRAL = "neutral"
CODEGEN = "codegen"
PYTHON = "python"
JS_EXE = "js-exe"
ARCH_QUERY = "arch-query"
HOST_TOOL = "host-tool"
UNKNOWN = "unknown"
OTHER = UNKNOWN  # the old name

# Arch-neutral commands: files, text, archives, fetching, users, shell builtins.
NEUTRAL_CMDS = frozenset("""
cd mkdir cp mv rm rmdir ln ls cat echo printf touch chmod chown chgrp true false test [ [[ set
export unset shopt umask trap wait : alias
tar gzip gunzip zcat unzip xz unxz bzip2 bunzip2 zstd unzstd lz4 7z zip
curl wget git git-lfs svn hg sed awk gawk mawk grep egrep fgrep find xargs sort uniq head tail tr
cut tee install id whoami useradd adduser addgroup groupadd usermod userdel groupdel passwd chpasswd
update-ca-certificates sha1sum sha256sum sha512sum md5sum cksum base64 date sleep wc basename
dirname realpath readlink pwd exit return mktemp stat du df diff cmp comm paste join fold fmt nl
rev split csplit expand unexpand seq yes env printenv hostname mkfifo sync tac truncate shred
gpg gpgv ssh-keyscan ssh-keygen openssl patch jq yq envsubst dos2unix iconv locale-gen
localedef rsync ldconfig setcap getent timedatectl dpkg-reconfigure update-alternatives
ls-files tree nproc getconf for case select
""".split())

# Wrappers that run the rest of their words as a command (after their own options).
WRAPPERS: dict[str, frozenset[str]] = {
    # name -> options that take a value
    "env": frozenset({"-u", "--unset", "-C", "--chdir", "-S", "--split-string"}),
    "exec": frozenset({"-a"}),
    "nice": frozenset({"-n", "--adjustment"}),
    "ionice": frozenset({"-c", "-n", "-p", "--class", "--classdata"}),
    "nohup": frozenset(),
    "time": frozenset({"-f", "--format", "-o", "--output"}),
    "command": frozenset(),
    "builtin": frozenset(),
    "timeout": frozenset({"-s", "--signal", "-k", "--kill-after"}),
    "stdbuf": frozenset({"-i", "-o", "-e"}),
    "xargs": frozenset({"-n", "-I", "-P", "-d", "-L", "-s", "-a", "-E", "--max-args",
                        "--max-procs", "--delimiter", "--arg-file", "--replace"}),
    "sudo": frozenset({"-u", "-g", "--user", "--group"}),
    "flock": frozenset({"-w", "--timeout", "-E", "--conflict-exit-code"}),
    "ccache": frozenset(),
    "sccache": frozenset(),
    "setarch": frozenset(),
    "retry": frozenset({"-t", "--tries", "-d", "--delay"}),
}
# wrappers whose first non-option word is theirs, not the command: `timeout 10 cmd`,
# `flock /lock cmd`, `su-exec user cmd`, `gosu user cmd`
WRAPPER_POSITIONALS = {"timeout": 1, "flock": 1, "su-exec": 1, "gosu": 1, "setarch": 1}
WRAPPERS.update({"su-exec": frozenset(), "gosu": frozenset()})
SHELLS = frozenset({"sh", "bash", "ash", "dash", "zsh", "/bin/sh", "/bin/bash", "/bin/ash",
                    "/bin/dash", "/usr/bin/env"})

PKG_CMDS = frozenset({"apk", "apt-get", "apt", "aptitude", "dpkg", "yum", "dnf", "microdnf",
                      "tdnf", "zypper", "pacman", "rpm", "xx-apk", "xx-apt-get", "xx-apt",
                      "add-apt-repository", "apt-key", "apt-mark", "apt-cache", "emerge",
                      "install_packages", "clean-install"})
NODE_CMDS = frozenset({"npm", "yarn", "pnpm", "npx", "bun", "bunx", "corepack", "node", "deno",
                       "nvm", "volta", "tsc", "vite", "webpack", "esbuild", "rollup", "gulp",
                       "grunt", "tailwindcss", "sass", "parcel", "next", "nuxt", "astro"})
PY_CMDS = frozenset({"pip", "pip3", "pipx", "poetry", "uv", "pdm", "hatch", "virtualenv",
                     "conda", "mamba", "micromamba", "maturin"})
INDIRECT_CMDS = frozenset({"make", "gmake", "task", "mage", "just", "bazel", "bazelisk",
                           "goreleaser", "scons", "earthly", "nix", "gradle", "mvn",
                           "ant", "sbt", "dotnet", "xmake", "premake5", "b2", "bjam", "waf"})
C_COMPILERS = frozenset({"gcc", "cc", "g++", "c++", "clang", "clang++", "cmake", "meson",
                         "ninja", "./configure", "configure", "autoreconf", "ctest"})
# Code generators and other build-machine tools whose outputs are source or data.
CODEGEN_CMDS = frozenset("""
protoc buf templ swag sqlc stringer mockgen go-bindata statik wire oapi-codegen ent gqlgen
goimports gofmt golangci-lint staticcheck revive packr packr2 rice esc pkger go-licenses
cbindgen bindgen wasm-bindgen wasm-opt wasm-pack trunk flatc thrift capnp capnpc bison yacc flex
lex gperf xxd m4 autoconf automake aclocal autoheader libtoolize pkg-config pkgconf
python-config hugo asciidoctor pandoc mdbook sphinx-build doxygen help2man ronn scdoc
""".split())
INSPECT_CMDS = frozenset({"ldd", "file", "readelf", "objdump", "lddtree", "scanelf", "nm"})
HOST_TOOL_CMDS = frozenset({"strip", "upx", "objcopy", "patchelf", "llvm-strip", "chrpath",
                            "eu-strip", "dwz"})
GO_NEUTRAL_SUBS = frozenset({"mod", "env", "version", "list", "clean", "work", "fmt", "doc",
                             "help", "get"})
GO_RUN_SUBS = frozenset({"run", "generate", "test", "vet", "tool", "fix"})
C_TOOLCHAIN_PKGS = frozenset({"gcc", "g++", "build-base", "build-essential", "clang", "musl-dev",
                              "libc6-dev", "libc-dev", "alpine-sdk"})
_GO_VERSION_PIN = re.compile(r"@[^\s]+$")


def arch_query(cmd: Command) -> str | None:
    """The architecture question ``cmd`` asks, as written (``uname -m``), or None."""
    name, args = cmd.name.rsplit("/", 1)[-1], cmd.args
    if name == "uname" and any(a in ("-m", "-p", "-i", "-a", "--machine", "--processor",
                                     "--all", "--hardware-platform") or
                               (a.startswith("-") and not a.startswith("--") and
                                set(a[1:]) & set("mpia")) for a in args):
        return "uname " + " ".join(args)
    if name == "arch" and not args:
        return "arch"
    if name in ("dpkg", "xx-dpkg") and "--print-architecture" in args:
        return "dpkg --print-architecture"
    if name == "dpkg-architecture":
        return "dpkg-architecture"
    if name == "apk" and "--print-arch" in args:
        return "apk --print-arch"
    if name == "go" and args[:1] == ["env"] and any(
            a in ("GOARCH", "GOHOSTARCH", "GOARM", "GOAMD64", "GOOS", "GOHOSTOS")
            for a in args[1:]) and "-w" not in args and "-u" not in args:
        return "go " + " ".join(args)
    if name in ("gcc", "cc", "clang", "g++", "c++") and any(
            a in ("-dumpmachine", "-print-multiarch", "-print-target-triple") for a in args):
        return f"{name} {args[0]}"
    if name == "rustc" and (any(a in ("-vV", "-Vv") for a in args) or
                            ("--print" in args and "host" in " ".join(args)) or
                            ("--version" in args and "--verbose" in args) or
                            ("-V" in args and "-v" in args)):
        return "rustc " + " ".join(args)
    if name == "getconf" and "LONG_BIT" in args:
        return "getconf LONG_BIT"
    if name == "lscpu":
        return "lscpu"
    return None


def classify(cmd: Command) -> str:
    """The class of one simple command (see the module docstring)."""
    name = cmd.name
    args = cmd.args
    base = name.rsplit("/", 1)[-1] if name.startswith("/usr/") or name.startswith("/bin/") \
        else name
    if not name:
        return NEUTRAL  # an assignment-only command
    if arch_query(cmd) is not None:
        return ARCH_QUERY
    if base == "go":
        sub = next((a for a in args if not a.startswith("-")), "")
        if sub in ("build", "install"):
            pkgs = [a for a in args[args.index(sub) + 1:] if not a.startswith("-")]
            if sub == "install" and pkgs and all(_GO_VERSION_PIN.search(p) for p in pkgs):
                return GO_TOOL
            return GO_BUILD
        if sub in GO_RUN_SUBS:
            return GO_RUN
        if sub in GO_NEUTRAL_SUBS or not args or args[:1] in (["--version"], ["-v"]):
            return GO_NEUTRAL
        return UNKNOWN
    if base.startswith("xx-"):
        return PKG if base in PKG_CMDS else XX
    if base in PKG_CMDS:
        return PKG
    if base in ("bun",) and "build" in args and "--compile" in args:
        return JS_EXE
    if base in ("pkg", "nexe") or (base == "deno" and args[:1] == ["compile"]):
        return JS_EXE
    runner = next((a for a in args if not a.startswith("-")), "") if base in (
        "npx", "bunx", "pnpx") else ""
    if runner.split("@")[0] in ("pkg", "nexe", "@yao-pkg/pkg", "@vercel/pkg") or \
            runner.rsplit("/", 1)[-1].split("@")[0] in ("pkg", "nexe"):
        return JS_EXE
    if base in NODE_CMDS:
        return NODE
    if base in PY_CMDS or (base.startswith("python") and args[:2] in (["-m", "pip"],
                                                                       ["-m", "venv"],
                                                                       ["-m", "build"])):
        return PYTHON
    if base in INDIRECT_CMDS:
        return INDIRECT
    if base in ("cargo", "rustc", "cross"):
        subs = [a for a in args if not a.startswith(("-", "+"))][:2]
        if base == "cargo" and (subs[:1] in (["fetch"], ["vendor"], ["metadata"],
                                             ["generate-lockfile"], ["version"]) or
                                subs == ["chef", "prepare"] or args[:1] in (["--version"], ["-V"])):
            return NEUTRAL
        if base == "rustc" and args[:1] in (["--version"], ["-V"]):
            return NEUTRAL
        return CARGO
    if base == "rustup":
        return NEUTRAL  # toolchain and target installs: files of the build machine's toolchain
    if base in C_COMPILERS or re.match(r"^[a-z0-9_]+-linux-(gnu|musl)[a-z]*-(gcc|g\+\+|cc)$", base):
        return CC
    if base in INSPECT_CMDS:
        return INSPECT
    if base in HOST_TOOL_CMDS:
        return HOST_TOOL
    if base in CODEGEN_CMDS:
        return CODEGEN
    if name.startswith("./") or name.startswith("../") or (name.startswith("/") and not re.match(
            r"^/(usr/)?(local/)?s?bin/", name)) or "/" in name:
        if name.endswith("configure"):
            return CC
        if name.endswith((".sh", ".bash", ".py", ".pl", ".rb")) or "/scripts/" in name:
            return SCRIPT
        return EXEC_LOCAL
    if base in SHELLS or base in ("source", ".") or base.startswith("python") or \
            base in ("perl", "ruby", "php", "lua", "tclsh"):
        # a shell or interpreter given a file (sh -c / heredocs are descended into first)
        return SCRIPT if (args and not args[0].startswith("-")) or base in ("source", ".") \
            else (NEUTRAL if not args else SCRIPT)
    if base in NEUTRAL_CMDS:
        return NEUTRAL
    if base.endswith((".sh", ".py")):
        return SCRIPT
    return UNKNOWN
