"""Whether doctor may render the golden path a repository's record names.

The repository under check is untrusted input (doctor runs on pull requests,
forks included), and rendering a template can run code. So a rule that renders
(``RuleMeta.renders``) runs only when the command line or the org policy turns
it on, and even then renders only

* a bundled golden path at one of its shipped releases (recorded by version,
  never by a commit or a path), or
* a source the user allow-lists in ``trusted_sources`` (see
  :mod:`platctl.scaffold.trust`).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

from platctl.scaffold.catalog import BUNDLED_PREFIX

_BUNDLED_NAME = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


def render_refusal(section: Any) -> str | None:
    """Why the recorded ``golden_path`` section may not be rendered, or None when it may."""
    if not isinstance(section, Mapping):
        return "the record has no golden_path section"
    source = str(section.get("source") or "")
    name = source.removeprefix(BUNDLED_PREFIX)
    if _is_bundled(name):
        return _bundled_refusal(name, section)
    if source.startswith(BUNDLED_PREFIX):
        return f"{name!r} is not a bundled golden path"
    from platctl.scaffold.trust import is_trusted

    if source and is_trusted(source):
        return None
    return (f"source {source!r} is neither bundled nor in your trusted_sources, and doctor renders only those "
            "(see docs/doctor.md)")


def _is_bundled(name: str) -> bool:
    from platctl.scaffold.catalog import bundled_golden_path

    return bool(_BUNDLED_NAME.match(name)) and bundled_golden_path(name) is not None


def _bundled_refusal(name: str, section: Mapping[str, Any]) -> str | None:
    if section.get("commit"):
        return f"bundled golden path {name} is recorded with a commit; bundled releases are named by version only"
    version = str(section.get("version") or "")
    if version not in shipped_versions(name):
        return f"version {version!r} is not a shipped release of bundled golden path {name}"
    return None


def shipped_versions(name: str) -> list[str]:
    """The versions of a bundled golden path this platctl ships: its current one and its archived releases."""
    from platctl.scaffold.source import Source, available_versions

    return available_versions(Source(BUNDLED_PREFIX + name, "bundled", name))
