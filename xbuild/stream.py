"""Running one docker command with its progress on our stderr: the one place that does.

``xbuild build`` (one buildx run) and ``xbuild.distribute`` (one per platform, then
``imagetools create``) both start their processes here: an argv list, never a shell;
stderr copied through line by line as it comes, and the last lines kept so the
caller can turn buildx's ``ERROR:`` line into a one-line message.
"""

from __future__ import annotations

import signal
import subprocess
import sys
from collections import deque

from xbuild.errors import EXIT_BUILD, XBuildError


def stream(argv: list[str]) -> tuple[int, list[str]]:
    """Run ``argv``; copy its stderr to ours line by line; return (status, last lines)."""
    tail: deque[str] = deque(maxlen=40)
    try:
        proc = subprocess.Popen(argv, stdin=subprocess.DEVNULL, stderr=subprocess.PIPE)
    except FileNotFoundError:
        raise XBuildError(f"{argv[0]!r} not found on PATH; is Docker installed? "
                          "(`xbuild doctor` checks the setup)", exit_code=EXIT_BUILD) from None
    except PermissionError:
        raise XBuildError(f"{argv[0]!r} is not executable", exit_code=EXIT_BUILD) from None
    assert proc.stderr is not None
    err = sys.stderr.buffer if hasattr(sys.stderr, "buffer") else None
    try:
        for raw in proc.stderr:
            if err is not None:
                err.write(raw)
                err.flush()
            else:
                sys.stderr.write(raw.decode("utf-8", "replace"))
            tail.append(raw.decode("utf-8", "replace"))
        return proc.wait(), list(tail)
    except KeyboardInterrupt:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        raise
