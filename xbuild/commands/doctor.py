"""``xbuild doctor``: check docker, buildx, the builder and emulation; say how to fix each problem."""

from __future__ import annotations

from typing import Optional

import typer

from xbuild.app import app


@app.command(help=(
    "Check that a multi-platform build can succeed here: docker and buildx, the current "
    "builder (driver, platforms), multi-platform export (docker-container driver or the "
    "containerd image store), and QEMU emulation for each foreign platform. Given PATH (a "
    "Dockerfile or a folder holding one), also say whether the converted Dockerfile still "
    "needs emulation. Each problem comes with the command that fixes it. "
    "Exit 0: a build can succeed; 4: it cannot."
))
def doctor(
    path: Optional[str] = typer.Argument(None, help="Dockerfile, or a folder holding one."),
    platform: str = typer.Option("linux/amd64,linux/arm64", "--platform", help="Comma-separated platforms."),
    builder: Optional[str] = typer.Option(None, "--builder", help="buildx builder instance to inspect."),
    target: Optional[str] = typer.Option(None, "--target", help="Stage that will be built."),
) -> None:
    import os

    from xbuild.buildx import BUILDER_NAME, validate_platforms
    from xbuild.doctor import can_build, diagnose, format_checks, gather
    from xbuild.errors import EXIT_BUILD, UsageError

    platforms = validate_platforms(platform)
    if builder is not None and not BUILDER_NAME.match(builder):
        raise UsageError(f"invalid builder name {builder!r} for --builder")
    text = converted = None
    dockerfile = None
    if path is not None:
        from xbuild.buildcontext import default_context
        from xbuild.convert import convert
        from xbuild.files import read_dockerfile
        from xbuild.result import Options

        dockerfile = os.path.join(path, "Dockerfile") if os.path.isdir(path) else path
        text = read_dockerfile(dockerfile)
        # a folder given is the build context, as for `docker build DIR`; a file's
        # folder only when it holds a project (xbuild.buildcontext.default_context)
        context = path if os.path.isdir(path) else default_context(path)
        converted = convert(text, dockerfile, Options(target=target, platforms=platforms, context=context)).text
    facts = gather(platforms, builder)
    checks = diagnose(facts, platforms, converted, dockerfile or "Dockerfile", target)
    typer.echo(format_checks(checks))
    ok = can_build(checks)
    typer.echo("a multi-platform build can succeed here" if ok else "a build for these platforms would fail: "
               "fix the FAIL lines above")
    raise typer.Exit(0 if ok else EXIT_BUILD)
