"""Options several commands share: how ``--set KEY=VALUE`` is spelled."""

from __future__ import annotations

from typing import Iterable

from platctl.errors import UserError


def parse_set_options(pairs: Iterable[str]) -> dict[str, str]:
    """Turn repeated ``--set KEY=VALUE`` options into a mapping."""
    values: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise UserError(f"--set {pair!r} is not KEY=VALUE: write it as --set owner=team-payments")
        values[key.strip()] = value
    return values
