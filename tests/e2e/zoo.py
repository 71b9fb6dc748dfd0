"""The pattern zoo: small projects, one per hazard class of the soundness analysis
(issue 10), each built on the rig by `xbuild prove` (tests/e2e/test_zoo_e2e.py).

For each project the test checks xbuild's own outcome (refused with a reason, or moved
and proven equivalent to the emulated original) and that a deliberately naive
conversion (`naive()`) is caught. `naive()` is what a hurried hand conversion does:
every non-final FROM gets `--platform=$BUILDPLATFORM` (with the target ARGs declared so
the flags mean something) and the stage's compiler gets the target, nothing else:

- Go stages: `go build` / `go install` prefixed with `GOOS=$TARGETOS GOARCH=$TARGETARCH`;
- C stages: `CC` exported as the target's cross gcc, `gcc`/`cc` commands replaced by `$CC`;
- Rust stages: `cargo build` gets `--target <triple>` and its output is copied back to
  `target/release/` where the Dockerfile's COPY expects it.

The stage's language comes from its base image name.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass

from tests.e2e.examples import ROOT

ZOO = os.path.join(ROOT, "tests", "e2e", "zoo")

# shell that maps $TARGETARCH to the GNU and Rust triples (the rig builds amd64 and arm64)
TRIPLES = ('T=$(case "$TARGETARCH" in arm64) echo aarch64;; amd64) echo x86_64;; esac) && '
           'export CC="$T-linux-gnu-gcc" RT="$T-unknown-linux-gnu" && ')
GO_ENV = "GOOS=$TARGETOS GOARCH=$TARGETARCH "


@dataclass(frozen=True)
class Case:
    name: str
    hazard: str  # what the project does that a rewrite can get wrong
    xbuild: str  # what xbuild must do: "moved" (prove passes) or "refused"
    reason: str = ""  # refused: a substring of the reason xbuild gives
    naive_exit: int = 5  # 5: prove catches it; 4: the naive build fails; 0: the naive file is right
    naive_path: str = ""  # the path (or text) prove's report must name for the naive conversion
    smoke: str = ""  # --smoke command for both proves (a stale binary has the right architecture)
    needs: str = ""  # a rig image the case needs that the rig may lack: skipped, with the reason

    @property
    def path(self) -> str:
        return os.path.join(ZOO, self.name)


CASES = (
    Case("go-pure", "control: a plain Go program", "moved", naive_exit=0),
    Case("go-net-cgo-default", "net/os/user with CGO_ENABLED unset: cgo on natively, off when crossing",
         "moved", naive_path="/usr/local/bin/server: dynamic loader none (static)"),
    Case("go-so-by-script", "a shell script builds a .so with gcc after the Go compile; the folder ships",
         "refused", reason="build-ext.sh", naive_path="/opt/app/ext.so: machine x86-64"),
    Case("go-ships-go-tool", "the compiler image's own gofmt copied into the image", "refused",
         reason="/usr/local/go", naive_path="/usr/local/bin/gofmt: machine x86-64"),
    Case("go-install-bin", "go install: a foreign GOARCH writes to $GOPATH/bin/<os>_<arch>/", "moved",
         naive_exit=4, naive_path="/go/bin/go-install-bin"),
    Case("go-install-tool-product", "`go install tool@v` whose binary is what the image ships (a local module proxy)",
         "moved", naive_exit=4, naive_path="/go/bin/greet"),
    Case("go-make-goarch-default", "a Makefile's GOARCH ?= $(shell go env GOARCH), passed to go build",
         "moved", naive_path="machine x86-64"),
    Case("go-uname-path", "uname -m names the output file", "refused", reason="uname",
         naive_path="/opt/bin/app-aarch64: an ELF file in the original, missing"),
    Case("go-env-goarch-path", "$(go env GOARCH) names the output folder", "refused", reason="go env GOARCH",
         naive_path="/opt/arm64: a directory in the original, missing"),
    Case("go-dpkg-arch-dir", "dpkg --print-architecture names a shipped folder", "refused",
         reason="dpkg --print-architecture", naive_path="/opt/app/lib/arm64: a directory in the original"),
    Case("go-base-ships-wholesale", "a non-final stage whose filesystem is the final image", "moved",
         naive_path="/usr/bin/bash: machine x86-64"),
    Case("go-host-strip", "host strip run on the target binary", "refused", reason="strip",
         naive_exit=4, naive_path="strip"),
    Case("go-cgo-plain", "cgo (import \"C\") with CGO_ENABLED unset", "moved", naive_exit=4,
         naive_path="build constraints exclude all Go files"),
    Case("go-cgo-bash-heredoc", "cgo built by `bash <<EOF` (unquoted: the outer shell expands the body)",
         "moved", naive_path="machine x86-64"),
    Case("go-cgo-sqlite", "cgo + libsqlite3-dev from apt", "moved", naive_exit=4, naive_path="gcc"),
    Case("go-js-assets", "a JS asset stage (node) beside the Go build", "moved", naive_exit=0,
         needs="node:20-bookworm"),
    Case("c-pure", "control: gcc hello", "moved", naive_exit=0),
    Case("c-makefile-sets-cc", "the Makefile assigns CC = gcc (the environment's CC loses)", "moved",
         naive_path="/usr/local/bin/hello: machine x86-64"),
    Case("c-make-cc-gcc", "make CC=gcc on the command line", "refused", reason="failed its check",
         naive_path="/usr/local/bin/hello: machine x86-64"),
    Case("c-plugin-by-script", "a script builds a plugin .so with cc and installs it mode 644", "refused",
         reason="build-plugin.sh", naive_path="/usr/lib/hello/libgreet.so: machine x86-64"),
    Case("c-gcc-dumpmachine-dir", "$(gcc -dumpmachine) names a shipped folder", "refused",
         reason="gcc -dumpmachine", naive_path="/opt/hello/lib/aarch64-linux-gnu: a directory in the original"),
    Case("c-cmake-generator", "CMake builds a generator and runs it during the build", "refused",
         reason="generator", naive_exit=0),
    Case("rust-pure", "control: cargo hello", "moved", naive_exit=0),
    Case("rust-dummy-main", "the cargo dummy-main caching trick (rm -f target/release/deps/app*)", "moved",
         naive_path="dummy", smoke="hello"),
    Case("rust-ships-c-helper", "a Rust stage that also compiles a C helper with cc", "refused",
         reason="`cc`", naive_path="/usr/local/bin/helper: machine x86-64"),
)

_FROM = re.compile(r"^(FROM\s+)(?:--platform=\S+\s+)?(\S+)(.*)$", re.I)
_CMD_WORD = re.compile(r"(^|&&|;|\|\||\|)(\s*)(gcc|cc)(?=\s)")


def _language(image: str) -> str:
    name = image.lower()
    for prefix, lang in (("golang", "go"), ("rust", "rust"), ("gcc", "c")):
        if name.startswith(prefix):
            return lang
    return ""


def _naive_run(command: str, lang: str) -> str:
    if lang == "go":
        return re.sub(r"\bgo (build|install)\b", lambda m: GO_ENV + m.group(0), command)
    if lang == "c" and re.search(r"\b(gcc|cc|make|cmake)\b", command):
        return TRIPLES + _CMD_WORD.sub(lambda m: f'{m.group(1)}{m.group(2)}"$CC"', command)
    if lang == "rust" and "cargo build" in command:
        body = re.sub(r"cargo build([^&;|]*)", r'cargo build\1 --target "$RT"', command)
        return TRIPLES + body + ' && mkdir -p target/release && cp -a "target/$RT/release/." target/release/'
    return command


def naive(text: str) -> str:
    """The hurried hand conversion described above (zoo Dockerfiles: no heredocs, no exec-form RUN)."""
    logical: list[str] = []
    for line in text.splitlines():
        if logical and logical[-1].endswith("\\"):
            logical[-1] += "\n" + line
        else:
            logical.append(line)
    froms = [i for i, ins in enumerate(logical) if _FROM.match(ins)]
    out: list[str] = []
    lang = ""
    moved = False
    for i, ins in enumerate(logical):
        m = _FROM.match(ins)
        if m:
            moved = i != froms[-1]
            lang = _language(m.group(2))
            if moved:
                out += [f"{m.group(1)}--platform=$BUILDPLATFORM {m.group(2)}{m.group(3)}", "ARG TARGETOS TARGETARCH"]
                continue
        elif moved and ins.upper().startswith("RUN "):
            flags = re.match(r"RUN\s+((?:--\S+\s+)*)", ins, re.I)
            assert flags is not None
            ins = ins[:flags.end()] + _naive_run(ins[flags.end():], lang)
        out.append(ins)
    return "\n".join(out) + "\n"
