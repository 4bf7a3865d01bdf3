"""Errors of the recorder. Each carries a stable ``code`` like the TypeScript side (TL_…)."""

from __future__ import annotations


class ThoughtlensError(Exception):
    code = "TL_ERROR"

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __str__(self) -> str:  # one line, code first: what a log or a terminal shows
        return f"{self.code}: {self.message}"


class MissingDependencyError(ThoughtlensError, ImportError):
    """A library (torch, transformers) or a model that was asked for is not available.

    Never caught inside thoughtlens: recording substitutes (random states) in its place
    would produce a run that looks real and is not.
    """

    code = "TL_MISSING_DEPENDENCY"


class FormatError(ThoughtlensError, ValueError):
    """Bad agent or column specification, or a row that breaks the run format."""

    code = "TL_FORMAT"


class BadValueError(ThoughtlensError, ValueError):
    """A hidden state with NaN/Inf, or a repeated (episode, step) key."""

    code = "TL_BAD_VALUE"


class RunExistsError(ThoughtlensError, FileExistsError):
    code = "TL_CONFLICT"


class ServerError(ThoughtlensError, RuntimeError):
    """The workbench refused a request (the HTTP status and its message)."""

    code = "TL_SERVER"
