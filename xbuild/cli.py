"""Entry point: runs the typer app and turns every error into one line and an exit code."""

from __future__ import annotations

import sys

import typer

from xbuild import ISSUES_URL, __version__
from xbuild.app import app
from xbuild.errors import EXIT_INTERNAL, EXIT_USAGE, XBuildError


def _version(value: bool) -> None:
    if value:
        typer.echo(f"xbuild {__version__}")
        raise typer.Exit(0)


@app.callback()
def _root(
    version: bool = typer.Option(False, "--version", callback=_version, is_eager=True,
                                 help="Print the version and exit."),
) -> None:
    """xbuild: cross-compile, don't emulate."""


def _register() -> None:
    # Importing registers each command; the order is the order in --help.
    import importlib

    for name in ("convert", "check", "explain", "build", "prove", "doctor", "verify", "init", "ci"):
        try:
            importlib.import_module(f"xbuild.commands.{name}")
        except ModuleNotFoundError as exc:  # a command not written yet
            if exc.name != f"xbuild.commands.{name}":
                raise


def main(argv: list[str] | None = None) -> None:
    _register()
    try:
        rc = app(args=argv, standalone_mode=False)
    except XBuildError as err:
        typer.echo(f"xbuild: {err}", err=True)
        sys.exit(err.exit_code)
    except typer.Exit as exc:
        sys.exit(exc.exit_code)
    except typer.Abort:
        typer.echo("xbuild: aborted", err=True)
        sys.exit(130)
    except KeyboardInterrupt:
        typer.echo("xbuild: interrupted", err=True)
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(0)
    except Exception as exc:  # click usage errors and internal bugs
        _fail(exc)
    sys.exit(rc if isinstance(rc, int) else 0)


def _click_kind(exc: BaseException) -> str | None:
    """'usage' or 'click' for click's own exceptions, else None.

    By class name along the MRO: typer < 0.22 raises ``click.exceptions.*``,
    newer typer vendors click as ``typer._click`` and ``import click`` fails.
    """
    names = {cls.__name__ for cls in type(exc).__mro__}
    if "UsageError" in names:
        return "usage"
    if "ClickException" in names:
        return "click"
    return None


def _fail(exc: BaseException) -> None:
    """One line on stderr and an exit code; never a traceback, whatever happens here."""
    try:
        kind = _click_kind(exc)
        if type(exc).__name__ == "NoArgsIsHelpError":  # bare `xbuild`: the help, as is
            typer.echo(str(exc.format_message()), err=True)  # type: ignore[attr-defined]
            sys.exit(EXIT_USAGE)
        if kind is not None:
            message = " ".join(str(exc.format_message()).split())  # type: ignore[attr-defined]
            code = EXIT_USAGE if kind == "usage" else int(getattr(exc, "exit_code", 1))
            typer.echo(f"xbuild: {message}", err=True)
            sys.exit(code)
        where = ""
        tb = exc.__traceback__
        while tb is not None and tb.tb_next is not None:
            tb = tb.tb_next
        if tb is not None:
            where = f" at {tb.tb_frame.f_code.co_filename.rsplit('/', 1)[-1]}:{tb.tb_lineno}"
        detail = " ".join(f"{type(exc).__name__}: {exc}".split())
        line = f"xbuild: internal error: {detail}{where}; please report it at {ISSUES_URL}"
    except SystemExit:
        raise
    except BaseException:  # formatting the error failed too: still one line
        line = f"xbuild: internal error; please report it at {ISSUES_URL}"
    try:
        sys.stderr.write(line + "\n")
        sys.stderr.flush()
    except Exception:
        pass
    sys.exit(EXIT_INTERNAL)
