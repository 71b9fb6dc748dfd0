"""The typer application object, shared by the command modules.

Command modules (``xbuild/commands/*.py``) register themselves on ``app``; each
keeps its heavy imports inside the command function so that ``xbuild --version``
stays fast.
"""

from __future__ import annotations

import typer

app = typer.Typer(
    name="xbuild",
    help=(
        "Rewrite Dockerfiles so multi-platform builds cross-compile on the build "
        "platform instead of emulating every RUN under QEMU.\n\n"
        "Exit codes: 0 ok / unchanged; 1 would change (--check) or a failing finding (check, "
        "see its --fail-on); "
        "2 usage error; 3 unreadable or unsupported input; 4 build or environment failure; "
        "5 verify or prove found a wrong or missing architecture (or a difference); 70 internal error."
    ),
    add_completion=True,  # --install-completion, --show-completion
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)
