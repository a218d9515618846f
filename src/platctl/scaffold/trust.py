"""Which golden paths may run code: the bundled ones, and sources the user allow-lists.

The allow-list lives in the user's config, ``$XDG_CONFIG_HOME/platctl/config.yaml``
(default ``~/.config/platctl/config.yaml``)::

    trusted_sources:
      - https://github.com/acme/golden-paths.git
      - /srv/golden-paths/*

Entries match the source as recorded (its ``#subdir`` aside) segment by segment
(``/`` separates segments): ``*``, ``?`` and ``[…]`` stay inside one segment,
and a ``**`` segment matches any number of segments. A source with a ``.`` or
``..`` segment (also percent-encoded) is never trusted: it could climb out of
the trusted folder.
"""

from __future__ import annotations

import fnmatch
from urllib.parse import unquote

from platctl.errors import ConfigError
from platctl.scaffold.userconfig import read_user_config, user_config_path


def trusted_sources() -> list[str]:
    entries = read_user_config().get("trusted_sources", [])
    if not isinstance(entries, list) or not all(isinstance(e, str) for e in entries):
        raise ConfigError(f"{user_config_path()}: trusted_sources must be a list of source globs")
    return entries


def is_trusted(source: str) -> bool:
    """Whether an allow-list entry matches ``source`` (a source that climbs with ``..`` never does)."""
    location = source.partition("#")[0]
    segments = location.split("/")
    if any(s in (".", "..") for s in unquote(location).replace("\\", "/").split("/")):
        return False
    return any(matches_segments(segments, pattern.split("/")) for pattern in trusted_sources())


def matches_segments(segments: list[str], pattern: list[str]) -> bool:
    """Whether ``segments`` match ``pattern``: each glob matches one segment, ``**`` any number."""
    if not pattern:
        return not segments
    head, rest = pattern[0], pattern[1:]
    if head == "**":
        return any(matches_segments(segments[i:], rest) for i in range(len(segments) + 1))
    return bool(segments) and fnmatch.fnmatchcase(segments[0], head) and matches_segments(segments[1:], rest)
