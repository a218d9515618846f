"""The newest version of a recorded golden path, and its changelog headline, found offline.

Bundled golden paths: the manifest beside the template and ``CHANGELOG.md``.
Git sources: the semver tags of a local repository, or of the cached mirror
of a remote one (``platctl new`` and ``platctl upgrade`` keep it), read from
the ref files without importing git;
the headline comes from ``CHANGELOG.md`` at the newest tag. A local template
directory: its manifest. doctor never fetches: an uncached source has no answer.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Mapping


@dataclass(frozen=True)
class Newest:
    """The newest version of a golden path and its changelog headline."""

    version: str
    headline: str = ""


def newest_version(section: Mapping[str, Any]) -> Newest | None:
    """The newest version of the recorded source, read offline, with its changelog headline."""
    from platctl.errors import PlatctlError
    from platctl.scaffold.source import newest_offline, parse_source

    raw = str(section.get("source") or "")
    if not raw:
        return None
    try:
        newest = newest_offline(parse_source(raw))
    except PlatctlError:
        return None
    return Newest(newest.version, headline(newest.changelog, newest.version)) if newest else None


def headline(changelog: str, version: str) -> str:
    """The first sentence under ``## <version>`` (``## v1.2.0`` and ``## 1.2.0 - date`` work too)."""
    lines = changelog.splitlines()
    pattern = re.compile(rf"^##\s+v?{re.escape(version.lstrip('v'))}\b")
    start = next((i + 1 for i, line in enumerate(lines) if pattern.match(line)), None)
    if start is None:
        return ""
    paragraph: list[str] = []
    for text in lines[start:]:
        if text.startswith("#") or (not text.strip() and paragraph):
            break
        if text.strip():
            paragraph.append(text.strip())
    return first_sentence(" ".join(paragraph))


def first_sentence(text: str, limit: int = 140) -> str:
    """Up to the first ``. `` or ``: `` outside backticks, at most ``limit`` characters."""
    in_code = False
    for index, char in enumerate(text):
        if char == "`":
            in_code = not in_code
        elif char in ".:" and not in_code and text[index + 1 : index + 2] in (" ", ""):
            text = text[:index]
            break
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
