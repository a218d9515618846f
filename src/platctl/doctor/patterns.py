"""Regular expressions the org writes in its policy (custom rules), run in linear time.

Python's ``re`` backtracks: ``(a+)+$`` on ``aaaa…b`` takes longer than the
universe, and a thread cannot interrupt it. Custom-rule patterns are therefore
compiled by RE2 (``google-re2``), which never backtracks: RE2 syntax, so no
backreferences and no lookaround, which the policy loader reports as an
invalid pattern naming the file and line.
"""

from __future__ import annotations

from typing import Any


class PatternError(ValueError):
    """A pattern RE2 cannot compile; the message says why."""


def compile_linear(pattern: str, multiline: bool = False) -> Any:
    """A compiled pattern with ``search`` and ``finditer`` (matches have ``start()`` and ``group()``)."""
    import re2  # type: ignore[import-untyped]

    options = re2.Options()
    options.log_errors = False
    try:
        return re2.compile(f"(?m){pattern}" if multiline else pattern, options)
    except re2.error as error:
        reason = error.args[0] if error.args else error
        text = reason.decode("utf-8", "replace") if isinstance(reason, bytes) else str(reason)
        raise PatternError(f"{text} (custom rule patterns use RE2 syntax: no backreferences or lookaround)") from None
