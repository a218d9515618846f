"""Terminal helpers: one console factory so colour follows TTY and NO_COLOR everywhere."""

from __future__ import annotations

import json
import sys
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rich.console import Console


def console(stderr: bool = False) -> Console:
    """A rich console: colour on a terminal, plain text in pipes, CI logs and with NO_COLOR."""
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=True)


def echo_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, indent=2, sort_keys=False) + "\n")


def check_format(value: str, allowed: tuple[str, ...]) -> str:
    from platctl.errors import UserError

    if value not in allowed:
        raise UserError(f"unknown --format {value!r}: choose one of {', '.join(allowed)}")
    return value
