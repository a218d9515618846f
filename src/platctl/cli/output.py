"""Terminal helpers: one console factory so colour follows TTY and NO_COLOR everywhere."""

from __future__ import annotations

import sys
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator, Optional, TextIO

if TYPE_CHECKING:
    from rich.console import Console


def console(stderr: bool = False) -> Console:
    """A rich console: colour on a terminal, plain text in pipes, CI logs and with NO_COLOR."""
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=True)


def echo_json(data: Any) -> None:
    import json

    sys.stdout.write(json.dumps(data, indent=2, sort_keys=False) + "\n")


def check_format(value: str, allowed: tuple[str, ...]) -> str:
    from platctl.errors import UserError

    if value not in allowed:
        raise UserError(f"unknown --format {value!r}: choose one of {', '.join(allowed)}")
    return value


@contextmanager
def open_output(path: Optional[Path]) -> Iterator[TextIO]:
    """Standard output for no path or ``-``, else the file; one that cannot be written is a one-line error."""
    if path is None or str(path) == "-":
        yield sys.stdout
        return
    from platctl.errors import UserError

    try:
        with path.open("w", encoding="utf-8") as handle:
            yield handle
    except OSError as error:
        raise UserError(f"cannot write --output {path}: {error.strerror}") from None
