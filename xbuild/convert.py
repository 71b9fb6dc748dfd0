"""The pipeline: text -> model -> stage graph -> rules -> edits -> result."""

from __future__ import annotations

from xbuild.result import Options, Result


def convert(text: str, path: str = "<stdin>", options: Options = Options()) -> Result:
    """Convert one Dockerfile's text. Pure: no I/O except reading ``options.context``."""
    return Result(path=path, original=text, text=text)
