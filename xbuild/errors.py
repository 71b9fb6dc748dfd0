"""The one domain exception type, and the exit codes it maps to.

Every error a user can cause is an ``XBuildError``; the CLI prints it as a single
``path:line: message`` line and exits with ``exit_code``. Anything else that
escapes is an internal bug and is reported as such (one line, never a traceback).
"""

from __future__ import annotations

# Exit codes, documented in README and ``--help``.
EXIT_OK = 0
EXIT_CHANGED = 1  # --check: the file would change; check: findings
EXIT_USAGE = 2  # bad flags or values
EXIT_INPUT = 3  # unreadable or unsupported input
EXIT_BUILD = 4  # docker buildx failed / environment not ready
EXIT_VERIFY = 5  # verify found a wrong architecture or missing platform
EXIT_INTERNAL = 70  # a bug in xbuild (EX_SOFTWARE)


class XBuildError(Exception):
    """A user-facing error: one line, a location when there is one, an exit code."""

    def __init__(self, message: str, *, path: str | None = None, line: int | None = None,
                 exit_code: int = EXIT_INPUT) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.line = line
        self.exit_code = exit_code

    def __str__(self) -> str:
        where = ""
        if self.path is not None:
            where = f"{self.path}:{self.line}: " if self.line is not None else f"{self.path}: "
        # one line, whatever the message carried
        return where + " ".join(self.message.split())


class UsageError(XBuildError):
    def __init__(self, message: str) -> None:
        super().__init__(message, exit_code=EXIT_USAGE)
