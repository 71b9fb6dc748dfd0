"""Which build context the CLI reads: the Dockerfile's folder, --context, --no-context, stdin."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

# gcc in the image and CGO_ENABLED unset: only the context says whether cgo is needed
DOCKERFILE = """\
FROM golang:1.22-alpine AS build
RUN apk add --no-cache gcc musl-dev
WORKDIR /src
COPY . .
RUN go build -o /app .

FROM alpine
COPY --from=build /app /app
"""
CGO_MAIN = 'package main\n\n// #include <stdio.h>\nimport "C"\n\nfunc main() {}\n'
PLAIN_MAIN = "package main\n\nfunc main() {}\n"
NO_CONTEXT = "CGO_ENABLED is unset"  # the refusal when nothing tells whether cgo is needed
CGO = 'has import "C"'


def run(*args: str, cwd: Path, stdin: bytes | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "xbuild", *args], input=stdin, cwd=cwd,
                          capture_output=True, timeout=60)


def project(root: Path, main: str) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "go.mod").write_text("module example.com/app\n\ngo 1.22\n")
    (root / "main.go").write_text(main)
    (root / "Dockerfile").write_text(DOCKERFILE)
    return root


@pytest.fixture
def cgo(tmp_path: Path) -> Path:
    return project(tmp_path / "cgo", CGO_MAIN)


@pytest.fixture
def plain(tmp_path: Path) -> Path:
    return project(tmp_path / "plain", PLAIN_MAIN)


def test_default_context_is_the_dockerfile_folder(cgo: Path, plain: Path) -> None:
    p = run("convert", "--helper", "native", "Dockerfile", cwd=cgo)
    assert CGO in p.stderr.decode()
    p = run("convert", str(plain / "Dockerfile"), cwd=cgo)
    assert p.returncode == 0 and "CGO_ENABLED=0 GOOS=$TARGETOS" in p.stdout.decode()


def test_no_context_reads_the_dockerfile_alone(cgo: Path) -> None:
    p = run("convert", "--no-context", "--helper", "native", "Dockerfile", cwd=cgo)
    assert p.returncode == 0
    assert CGO not in p.stderr.decode() and NO_CONTEXT in p.stderr.decode()


def test_context_flag_points_elsewhere(cgo: Path, plain: Path) -> None:
    p = run("convert", "--context", str(plain), str(cgo / "Dockerfile"), cwd=cgo)
    assert "CGO_ENABLED=0 GOOS=$TARGETOS" in p.stdout.decode()


def test_stdin_has_no_context_unless_given(cgo: Path) -> None:
    p = run("convert", "--helper", "native", "-", cwd=cgo, stdin=DOCKERFILE.encode())
    assert CGO not in p.stderr.decode() and NO_CONTEXT in p.stderr.decode()
    p = run("convert", "--helper", "native", "--context", ".", "-", cwd=cgo,
            stdin=DOCKERFILE.encode())
    assert CGO in p.stderr.decode()


def test_check_reads_the_default_context_too(cgo: Path) -> None:
    p = run("check", "--helper", "native", "Dockerfile", cwd=cgo)
    assert CGO in p.stdout.decode()
    p = run("check", "--no-context", "--helper", "native", "Dockerfile", cwd=cgo)
    assert CGO not in p.stdout.decode()


def test_explain_takes_the_flags(cgo: Path) -> None:
    p = run("explain", "--no-context", "Dockerfile", cwd=cgo)
    assert p.returncode == 0, p.stderr


@pytest.mark.parametrize("args, message", [
    (["--context", "nowhere"], "xbuild: --context: nowhere: not a directory\n"),
    (["--context", ".", "--no-context"], "xbuild: --context and --no-context are exclusive\n"),
])
def test_bad_context_flags_are_usage_errors(cgo: Path, args: list[str], message: str) -> None:
    p = run("convert", *args, "Dockerfile", cwd=cgo)
    assert p.returncode == 2 and p.stderr.decode() == message


def test_config_can_turn_the_context_off(cgo: Path) -> None:
    (cgo / ".xbuild.toml").write_text("context = false\nhelper = \"native\"\n")
    p = run("convert", "Dockerfile", cwd=cgo)
    assert CGO not in p.stderr.decode() and NO_CONTEXT in p.stderr.decode()
    # a flag wins over the config
    p = run("convert", "--context", ".", "Dockerfile", cwd=cgo)
    assert CGO in p.stderr.decode()


def test_config_context_folder_is_relative_to_the_config_file(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    project(repo / "app", CGO_MAIN)
    (repo / "docker").mkdir()
    (repo / "docker" / "Dockerfile").write_text(DOCKERFILE)
    (repo / "docker" / ".xbuild.toml").write_text('context = "../app"\nhelper = "native"\n')
    p = run("convert", "docker/Dockerfile", cwd=repo)
    assert CGO in p.stderr.decode()


def test_config_context_of_the_wrong_type_is_a_usage_error(cgo: Path) -> None:
    (cgo / ".xbuild.toml").write_text("context = 3\n")
    p = run("convert", "Dockerfile", cwd=cgo)
    assert p.returncode == 2
    assert "'context' must be true, false or a folder" in p.stderr.decode()


def test_a_fixture_folder_is_not_read_as_a_context(tmp_path: Path) -> None:
    """Several unrelated Dockerfiles and no project file: the Dockerfile alone."""
    (tmp_path / "a.in.Dockerfile").write_text(DOCKERFILE)
    (tmp_path / "b.in.Dockerfile").write_text(DOCKERFILE)
    (tmp_path / "main.go").write_text(CGO_MAIN)
    p = run("convert", "--helper", "native", "a.in.Dockerfile", cwd=tmp_path)
    assert CGO not in p.stderr.decode() and NO_CONTEXT in p.stderr.decode()


CLONED_CMAKE = """\
FROM debian:12 AS build
RUN apt-get update && apt-get install -y build-essential cmake git
RUN git clone https://github.com/lpereira/lwan /src
WORKDIR /src
RUN cmake -B build && make -C build
FROM debian:12-slim
COPY --from=build /src/build/src/bin/lwan/lwan /lwan
"""


@pytest.mark.parametrize("dockerfile, files", [
    # sources cloned during the build: the context cannot show their generators
    (CLONED_CMAKE, {"package.json": "{}"}),
    (CLONED_CMAKE, {"CMakeLists.txt": "project(other C)\nadd_executable(x x.c)\n"}),
    # an archive fetched during the build
    (CLONED_CMAKE.replace("RUN git clone https://github.com/lpereira/lwan /src",
                          "RUN curl -L https://example.com/lwan.tar.gz | tar xz -C /src"),
     {"CMakeLists.txt": "project(x C)\nadd_executable(x x.c)\n"}),
    # fetched in another stage and copied in
    ("FROM alpine/git AS src\nRUN git clone https://github.com/lpereira/lwan /src\n"
     + CLONED_CMAKE.replace("RUN git clone https://github.com/lpereira/lwan /src",
                            "COPY --from=src /src /src"),
     {"CMakeLists.txt": "project(x C)\nadd_executable(x x.c)\n"}),
    (CLONED_CMAKE.replace("RUN git clone https://github.com/lpereira/lwan /src",
                          "ADD https://github.com/lpereira/lwan.git /src"),
     {"CMakeLists.txt": "project(x C)\nadd_executable(x x.c)\n"}),
])
def test_c_sources_the_context_does_not_hold_stay(tmp_path: Path, dockerfile: str,
                                                    files: dict[str, str]) -> None:
    """Regression: with the default context, a folder that is a project but not the
    project being compiled must not vouch for a generator-free CMake build."""
    (tmp_path / "Dockerfile").write_text(dockerfile)
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    p = run("convert", "Dockerfile", cwd=tmp_path)
    assert "stage `build`: refused" in p.stderr.decode(), p.stderr.decode()


def test_c_project_copied_from_the_context_is_checked_and_moves(tmp_path: Path) -> None:
    (tmp_path / "Dockerfile").write_text(
        CLONED_CMAKE.replace("RUN git clone https://github.com/lpereira/lwan /src", "COPY . /src"))
    (tmp_path / "CMakeLists.txt").write_text("project(x C)\nadd_executable(x x.c)\n")
    (tmp_path / "x.c").write_text("int main(void) { return 0; }\n")
    p = run("convert", "Dockerfile", cwd=tmp_path)
    assert "stage `build`: moved" in p.stderr.decode(), p.stderr.decode()


def test_cloned_go_sources_do_not_take_the_contexts_cgo_answer(plain: Path) -> None:
    """Regression: the context's Go module has no cgo, but the stage builds a clone."""
    (plain / "Dockerfile").write_text(DOCKERFILE.replace(
        "COPY . .", "RUN git clone https://github.com/example/sqlite-app ."))
    p = run("convert", "Dockerfile", cwd=plain)
    # gcc in the image: cgo is kept (with a cross C compiler), as without a context
    assert "CGO_ENABLED=0" not in p.stdout.decode() and "CGO_ENABLED=1" in p.stdout.decode()
    p = run("convert", "--helper", "native", "Dockerfile", cwd=plain)
    assert NO_CONTEXT in p.stderr.decode()
