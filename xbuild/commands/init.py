"""``xbuild init``: write a cross-compiling Dockerfile for a Go, Rust or C/C++ project."""

from __future__ import annotations

import os
from typing import Optional

import typer

from xbuild.app import app


@app.command()
def init(
    directory: str = typer.Argument(".", metavar="[DIR]", help="Project folder (default: .)."),
    lang: Optional[str] = typer.Option(None, "--lang", metavar="go|rust|c",
                                       help="Language, when detection fails or guesses wrong."),
    base: Optional[str] = typer.Option(None, "--base", metavar="IMAGE",
                                       help="Build-stage image (default: from the project's pinned version)."),
    runtime: Optional[str] = typer.Option(None, "--runtime", metavar="IMAGE",
                                          help="Final-stage image (default: scratch for pure Go, "
                                               "debian:12-slim otherwise)."),
    platforms: str = typer.Option("linux/amd64,linux/arm64", "--platforms", "--platform",
                                  help="Platforms for the suggested build command (comma separated)."),
    output: Optional[str] = typer.Option(None, "-o", "--output", metavar="FILE",
                                         help="Write here instead of DIR/Dockerfile; '-' for stdout."),
    force: bool = typer.Option(False, "--force", "-f", help="Overwrite an existing Dockerfile."),
) -> None:
    """Write DIR/Dockerfile (and DIR/.dockerignore when missing) that cross-compiles.

    With -o FILE only FILE is written (no .dockerignore).

    Exit codes: 0 written; 2 bad option; 3 the project cannot be understood or the
    Dockerfile exists (use --force or -o).
    """
    from xbuild.errors import UsageError, XBuildError
    from xbuild.files import write_atomic
    from xbuild.project import LANGS, detect
    from xbuild.scaffold import render
    from xbuild.settings import platforms_flag

    wanted = platforms_flag(platforms)
    if lang is not None and lang not in LANGS:
        raise UsageError(f"--lang {lang!r}: expected one of {', '.join(LANGS)}")

    project = detect(directory, lang)
    rendered = render(project, platforms=wanted, base=base, runtime=runtime)

    if output == "-":
        typer.echo(rendered.dockerfile, nl=False)
        for note in rendered.notes:
            typer.echo(f"xbuild: {note}", err=True)
        return
    target = output or os.path.join(directory, "Dockerfile")
    if os.path.exists(target) and not force:
        raise XBuildError("exists; pass --force to overwrite or -o FILE to write elsewhere", path=target)
    write_atomic(target, rendered.dockerfile)
    typer.echo(f"xbuild: wrote {target}", err=True)
    # .dockerignore is written only beside the default DIR/Dockerfile, and only when
    # missing: an existing one carries project knowledge xbuild does not have, and
    # -o FILE asks for that one file and nothing else.
    ignore = os.path.join(directory, ".dockerignore")
    if output is None and not os.path.exists(ignore):
        write_atomic(ignore, rendered.dockerignore)
        typer.echo(f"xbuild: wrote {ignore}", err=True)
    for note in rendered.notes:
        typer.echo(f"xbuild: {note}", err=True)
