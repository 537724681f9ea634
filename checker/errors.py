"""Errors the library raises and the exit codes the command line maps them to.

Every error a user can cause carries the file it concerns and a one-line reason, so the CLI can
print `error: FILE: reason` without a traceback. Exit codes are decided here and nowhere else.
"""

from __future__ import annotations

EXIT_OK = 0  # no gaps at or above --fail-on
EXIT_GAPS = 1  # gaps found at or above --fail-on
EXIT_INPUT = 2  # usage error, or the input could not be read
EXIT_BATCH_FAILURES = 3  # batch: at least one file could not be read (the others were reported)
EXIT_INTERNAL = 4  # check: the file could not be checked because of an error in the checker


class CheckerError(Exception):
    """Base class: an error with a subject (file) and a one-line reason."""

    exit_code = EXIT_INPUT

    def __init__(self, subject: str, reason: str) -> None:
        super().__init__(f"{subject}: {reason}")
        self.subject = subject
        self.reason = " ".join(str(reason).split())  # always one line

    def one_line(self) -> str:
        return f"{self.subject}: {self.reason}"


class InputError(CheckerError):
    """A contract file could not be read (missing, corrupt, encrypted, unsupported, ...)."""


class LibraryError(CheckerError):
    """A clause library could not be loaded or failed validation; `subject` is file and location."""


class InternalError(CheckerError):
    """Checking a file failed with an error nobody foresaw (a bug, or a library failing on odd
    input): reported as one line naming the file, with its own exit code."""

    exit_code = EXIT_INTERNAL
