"""A plain `make` reads the makefiles of the folder it runs in (and the folders those
name), not every Makefile in the build context: a generator under `contrib/` of a
project whose `make -C programs` never enters it does not keep the stage (the
zstd layout). Whatever the run can reach still does, and a folder named through a
variable xbuild cannot resolve widens the search to the whole context."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from xbuild.generators import make_scope

DOCKERFILE = """\
FROM gcc:12 AS build
WORKDIR /src
COPY proj/ ./
RUN make -j"$(nproc)" -C programs app

FROM debian:bookworm-slim
COPY --from=build /src/programs/app /usr/local/bin/app
"""

# contrib/gen builds `gen` with $(CC) and runs it: a generator, if make goes there
GENERATOR_MAKEFILE = "gen: gen.c\n\t$(CC) -o gen gen.c\n\nout.h: gen\n\t./gen > out.h\n"
PROGRAMS_MAKEFILE = "LIB := ../lib\ninclude $(LIB)/lib.mk\n\napp: app.c\n\t$(CC) -o app app.c\n"


def project(root: Path, programs_makefile: str = PROGRAMS_MAKEFILE,
            dockerfile: str = DOCKERFILE) -> Path:
    for folder, text in {"programs": programs_makefile, "lib": None,
                         "contrib/gen": GENERATOR_MAKEFILE}.items():
        (root / "proj" / folder).mkdir(parents=True, exist_ok=True)
        if text is not None:
            (root / "proj" / folder / "Makefile").write_text(text)
    (root / "proj" / "lib" / "lib.mk").write_text("LIBSRC := $(wildcard $(LIB)/*.c)\n")
    (root / "proj" / "programs" / "app.c").write_text("int main(void) { return 0; }\n")
    (root / "Dockerfile").write_text(dockerfile)
    return root


def convert(root: Path) -> str:
    p = subprocess.run([sys.executable, "-m", "xbuild", "convert", "Dockerfile"], cwd=root,
                       capture_output=True, timeout=60)
    return p.stderr.decode()


def test_a_generator_the_make_run_never_enters_does_not_keep_the_stage(tmp_path: Path) -> None:
    """Regression (bench/projects/c-zstd): refused for contrib/gen_html before."""
    err = convert(project(tmp_path))
    assert "stage `build`: moved" in err, err


@pytest.mark.parametrize("programs_makefile", [
    # a recursive make into the generator's folder
    PROGRAMS_MAKEFILE + "all: app\n\t$(MAKE) -C ../contrib/gen out.h\n",
    # an include of a makefile there
    PROGRAMS_MAKEFILE + "include ../contrib/gen/Makefile\n",
    # through a variable the makefiles assign
    "GEN = ../contrib/gen\n" + PROGRAMS_MAKEFILE + "all:\n\tcd $(GEN) && $(MAKE)\n",
    # through a variable nothing here assigns: the whole context is searched
    PROGRAMS_MAKEFILE + "all:\n\t$(MAKE) -C $(SOMEWHERE)\n",
])
def test_a_generator_the_make_run_can_reach_keeps_the_stage(tmp_path: Path,
                                                             programs_makefile: str) -> None:
    err = convert(project(tmp_path, programs_makefile))
    assert "stage `build`: refused" in err and "`gen`" in err, err


def test_the_generator_in_the_folder_make_runs_in_keeps_the_stage(tmp_path: Path) -> None:
    err = convert(project(tmp_path, PROGRAMS_MAKEFILE + GENERATOR_MAKEFILE))
    assert "stage `build`: refused" in err and "proj/programs/Makefile" in err, err


def test_a_copy_xbuild_cannot_place_searches_the_whole_context(tmp_path: Path) -> None:
    err = convert(project(tmp_path, dockerfile=DOCKERFILE.replace("COPY proj/ ./", "COPY proj/ ./\nWORKDIR $DIR")))
    assert "stage `build`: moved" not in err, err


def test_make_scope_follows_relative_folders_to_a_fixed_point(tmp_path: Path) -> None:
    project(tmp_path)
    (tmp_path / "proj" / "lib" / "lib.mk").write_text("include ../contrib/gen/Makefile\n")
    assert make_scope(str(tmp_path), "proj/programs") == ["proj/contrib/gen", "proj/lib",
                                                         "proj/programs"]
    project(tmp_path)
    assert make_scope(str(tmp_path), "proj/programs") == ["proj/lib", "proj/programs"]
    # a path leaving the context cannot be read: the whole context is searched
    (tmp_path / "proj" / "programs" / "Makefile").write_text("include ../../../x.mk\n")
    assert make_scope(str(tmp_path), "proj/programs") is None


def test_cxx_sources_the_make_run_never_reads_install_no_gxx(tmp_path: Path) -> None:
    """Regression (bench/projects/c-zstd): contrib/'s C++ made the stage install g++-<triple>."""
    project(tmp_path)
    (tmp_path / "proj" / "contrib" / "gen" / "tool.cpp").write_text("int main() {}\n")
    p = subprocess.run([sys.executable, "-m", "xbuild", "convert", "Dockerfile"], cwd=tmp_path,
                       capture_output=True, timeout=60)
    out = p.stdout.decode()
    assert "gcc-$2" in out and "g++" not in out, out
    (tmp_path / "proj" / "lib" / "x.cpp").write_text("int x() { return 0; }\n")
    p = subprocess.run([sys.executable, "-m", "xbuild", "convert", "Dockerfile"], cwd=tmp_path,
                       capture_output=True, timeout=60)
    assert "g++-$2" in p.stdout.decode(), p.stdout.decode()
