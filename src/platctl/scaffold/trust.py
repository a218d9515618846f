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
import os
from pathlib import Path
from urllib.parse import unquote

from platctl.errors import ConfigError, located


def user_config_path() -> Path:
    base = os.environ.get("XDG_CONFIG_HOME") or str(Path.home() / ".config")
    return Path(base) / "platctl" / "config.yaml"


def trusted_sources() -> list[str]:
    path = user_config_path()
    if not path.is_file():
        return []
    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: cannot be read: {error}") from None
    except yaml.YAMLError as error:
        raise ConfigError(f"{located(path, error)}: not valid YAML; fix the syntax of your platctl config") from None
    entries = data.get("trusted_sources", []) if isinstance(data, dict) else None
    if not isinstance(entries, list) or not all(isinstance(e, str) for e in entries):
        raise ConfigError(f"{path}: trusted_sources must be a list of source globs")
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
