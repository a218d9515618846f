"""Options several commands share: how ``--set KEY=VALUE`` is spelled, and the organisation's defaults."""

from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

from platctl.errors import UserError

if TYPE_CHECKING:
    from platctl.scaffold.collect import Given


def parse_set_options(pairs: Iterable[str]) -> dict[str, str]:
    """Turn repeated ``--set KEY=VALUE`` options into a mapping."""
    values: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise UserError(f"--set {pair!r} is not KEY=VALUE: write it as --set owner=team-payments")
        values[key.strip()] = value
    return values


def organisation_defaults_source() -> Given:
    """The ``defaults:`` of the user's platctl config: values offered where nothing else answers
    (``new`` asks with them as the default; ``upgrade`` and ``adopt`` use them for what the record
    or the repository does not say)."""
    from platctl.scaffold.collect import Given
    from platctl.scaffold.userconfig import organisation_defaults, user_config_path

    return Given(f"defaults in {user_config_path()}", organisation_defaults(), suggests=True)
