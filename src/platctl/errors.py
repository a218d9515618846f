"""One error hierarchy, caught in one place (``platctl.cli.app.main``).

Every error carries a one-line message that names the problem and, where
there is one, the fix. The CLI prints it and exits with ``exit_code``.
"""

from __future__ import annotations

EXIT_OK = 0
EXIT_PROBLEMS = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130


def located(path: object, error: BaseException) -> str:
    """``path:line`` for a parse error that knows its line (as YAML errors do), else ``path``."""
    line = getattr(getattr(error, "problem_mark", None), "line", None)
    return f"{path}:{line + 1}" if isinstance(line, int) else str(path)


class PlatctlError(Exception):
    """Base of every error platctl raises on purpose."""

    exit_code = EXIT_USAGE


class UserError(PlatctlError):
    """Bad input on the command line: a name, a value, a path."""


class ConfigError(PlatctlError):
    """A configuration or answers file is malformed or invalid."""


class TemplateError(PlatctlError):
    """A golden path is missing, malformed or failed to render."""


class UnsafeTemplateError(TemplateError):
    """A golden path tried to do something it was not trusted to do."""
