"""``xbuild check``: report findings in Dockerfiles for humans, CI and review bots."""

from __future__ import annotations

from typing import List, Optional

import typer

from xbuild.app import app
from xbuild.commands.options import ContextOption, NoContextOption, HelperOption, PlatformsOption, TargetOption

EXIT_HELP = """Exit codes: 0 no finding of severity warning or error (notes do not count);
1 at least one warning or error finding; 2 usage error (bad flag, bad config);
3 an input could not be read or is not a Dockerfile BuildKit accepts (the other files are
still checked and reported)."""


@app.command(help=f"""Report what `xbuild convert` would change, and what it cannot fix.

PATHS are files, folders (searched for Dockerfile, Dockerfile.*, *.Dockerfile and
Containerfile, skipping .git, node_modules and vendor) or glob patterns; default: `.`.
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
) -> None:
    import os
    import sys

    from xbuild.config import load_config, read_config
    from xbuild.convert import convert as run
    from xbuild.discover import find_dockerfiles
    from xbuild.errors import EXIT_INPUT, EXIT_USAGE, UsageError, XBuildError
    from xbuild.files import read_dockerfile
    from xbuild.formatters import FAILING, FORMATS, Checked, render
    from xbuild.settings import make_options

    if fmt not in FORMATS:
        raise UsageError(f"--format: {fmt!r} is not one of {', '.join(FORMATS)}")
    if config is not None:
        read_config(config)  # a bad --config is a usage error before any file is read
    checked: list[Checked] = []
    errors: list[XBuildError] = []
    for item in paths or ["."]:
        try:
            files = find_dockerfiles([item])
        except XBuildError as exc:
            errors.append(exc)
            checked.append(Checked(item, error=exc))
            continue
        for path in files:
            try:
                options = make_options(path, target=target, context=context,
                                       platforms=platforms, helper=helper, ignore=ignore,
                                       no_context=no_context, discover_context=True,
                                       config=load_config(path, config))
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
    for exc in errors:
        typer.echo(f"xbuild: {exc}", err=True)
    color = fmt == "text" and sys.stdout.isatty() and not os.environ.get("NO_COLOR")
    out = render(fmt, checked, color=color)
    if out:
        typer.echo(out, nl=False)
    if errors:
        raise typer.Exit(EXIT_INPUT if all(e.exit_code == EXIT_INPUT for e in errors)
                         else max(e.exit_code for e in errors))
    failing = any(f.severity in FAILING for c in checked for f in c.findings)
    raise typer.Exit(1 if failing else 0)
