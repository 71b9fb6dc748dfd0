"""``xbuild doctor``: check docker, buildx, the builder and emulation; say how to fix each problem."""

from __future__ import annotations

from typing import Optional

import typer

from xbuild.app import app
from xbuild.commands import options as opt


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
    platform: opt.PlatformOption = None,
    builder: opt.BuilderOption = None,
    target: opt.TargetOption = None,
) -> None:
    import os

    from xbuild.buildx import BUILDER_NAME, validate_platforms
    from xbuild.doctor import can_build, diagnose, format_checks, gather
    from xbuild.errors import EXIT_BUILD, UsageError
    from xbuild.platforms import DEFAULT_PLATFORMS

    if platform is not None:
        validate_platforms(platform)  # the flag's own error before anything is read
    if builder is not None and not BUILDER_NAME.match(builder):
        raise UsageError(f"invalid builder name {builder!r} for --builder")
    platforms, converted, dockerfile = DEFAULT_PLATFORMS, None, None
    if path is not None:
        from xbuild.convert import convert
        from xbuild.files import read_dockerfile
        from xbuild.runner import RunOptions, file_options

        dockerfile = os.path.join(path, "Dockerfile") if os.path.isdir(path) else path
        text = read_dockerfile(dockerfile)
        # a folder given is the build context, as for `docker build DIR`; for a file, the
        # config's context or its folder when that holds a project (settings.choose_context)
        options, _ = file_options(dockerfile, RunOptions(
            target=target, platforms=platform, context=path if os.path.isdir(path) else None))
        platforms, target = options.platforms, options.target
        converted = convert(text, dockerfile, options).text
    else:  # no Dockerfile: the flag, else the platforms configured for the current folder
        from xbuild.config import load_config

        wanted = platform or load_config("Dockerfile").get("platforms")
        if wanted:
            platforms = validate_platforms(wanted)
    facts = gather(platforms, builder)
    checks = diagnose(facts, platforms, converted, dockerfile or "Dockerfile", target)
    typer.echo(format_checks(checks))
    ok = can_build(checks)
    typer.echo("a multi-platform build can succeed here" if ok else "a build for these platforms would fail: "
               "fix the FAIL lines above")
    raise typer.Exit(0 if ok else EXIT_BUILD)
