"""``xbuild check``: report findings in Dockerfiles for humans, CI and review bots."""

from __future__ import annotations

from typing import List, Optional

import typer

from xbuild.app import app
from xbuild.commands.options import (
    ContextOption,
    HelperOption,
    NoContextOption,
    PlatformsOption,
    TargetOption,
)

EXIT_HELP = """--fail-on says which findings fail: fixable (the default) those `xbuild
convert --write` fixes, and errors; warning also the refusals and warnings it cannot fix;
never none. Exit codes: 0 no failing finding; 1 a failing finding; 2 usage error (bad flag,
bad config: the file and key are named); 3 an input could not be read or is not a
Dockerfile BuildKit accepts (the other files are still checked and reported)."""


@app.command(help=f"""Report what `xbuild convert` would change, and what it cannot fix.

PATHS are files, folders (searched for Dockerfile, Dockerfile.*, Dockerfile-*,
*.Dockerfile, *.dockerfile, Containerfile, Containerfile.*, *.Containerfile, skipping .git,
node_modules and vendor) or glob patterns; default: `.`.
Settings come from [tool.xbuild] in pyproject.toml or .xbuild.toml, found by walking up
from each Dockerfile's folder to the repository root; flags win.

{EXIT_HELP}""")
def check(
    paths: Optional[List[str]] = typer.Argument(None, help="Files, folders or globs (default: .)."),
    fmt: str = typer.Option("text", "--format", "-f",
                            help="Output: text, json, sarif, github or diff."),
    target: TargetOption = None,
    context: ContextOption = None,
    no_context: NoContextOption = False,
    platforms: PlatformsOption = None,
    helper: HelperOption = None,
    ignore: Optional[str] = typer.Option(None, "--ignore", help="Rule codes to skip, comma "
                                         "separated (adds to the config's ignore)."),
    config: Optional[str] = typer.Option(None, "--config", help="Config file to use instead "
                                         "of searching (pyproject.toml or .xbuild.toml)."),
    fail_on: Optional[str] = typer.Option(None, "--fail-on", metavar="fixable|warning|never",
                                          help="Which findings make the exit code 1 "
                                               "(default: the config's fail-on, else fixable)."),
) -> None:
    import os
    import sys

    from xbuild.config import load_config, read_config
    from xbuild.convert import convert as run
    from xbuild.discover import find_dockerfiles
    from xbuild.errors import EXIT_INPUT, EXIT_USAGE, UsageError, XBuildError
    from xbuild.files import read_dockerfile
    from xbuild.formatters import DEFAULT_FAIL_ON, FAIL_ON, FORMATS, Checked, fails, render
    from xbuild.settings import make_options

    if fmt not in FORMATS:
        raise UsageError(f"--format: {fmt!r} is not one of {', '.join(FORMATS)}")
    if fail_on is not None and fail_on not in FAIL_ON:
        raise UsageError(f"--fail-on: {fail_on!r} is not one of {', '.join(FAIL_ON)}")
    if config is not None:
        read_config(config)  # a bad --config is a usage error before any file is read
    checked: list[Checked] = []
    errors: list[XBuildError] = []
    failing = False
    for item in paths or ["."]:
        try:
            files = find_dockerfiles([item])
        except XBuildError as exc:
            errors.append(exc)
            checked.append(Checked(item, error=exc))
            continue
        for path in files:
            try:
                settings = load_config(path, config)
                options = make_options(path, target=target, context=context,
                                       platforms=platforms, helper=helper, ignore=ignore,
                                       no_context=no_context, discover_context=True,
                                       config=settings)
                result = run(read_dockerfile(path), path, options)
            except XBuildError as exc:
                if exc.exit_code == EXIT_USAGE:
                    raise
                if exc.path is None:
                    exc.path = path
                errors.append(exc)
                checked.append(Checked(path, error=exc))
                continue
            checked.append(Checked(path, result=result))
            level = fail_on or settings.get("fail-on") or DEFAULT_FAIL_ON
            failing |= any(fails(f, level) for f in result.findings)
    for err in errors:
        typer.echo(f"xbuild: {err}", err=True)
    color = fmt == "text" and sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    out = render(fmt, checked, color=color)
    if out:
        typer.echo(out, nl=False)
    if errors:
        raise typer.Exit(EXIT_INPUT if all(e.exit_code == EXIT_INPUT for e in errors)
                         else max(e.exit_code for e in errors))
    raise typer.Exit(1 if failing else 0)
