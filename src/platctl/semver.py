"""Semantic versions as golden paths use them: ``1.2.3`` or ``v1.2.3``, compared by number."""

from __future__ import annotations

import re

SEMVER = re.compile(r"^v?(\d+)\.(\d+)\.(\d+)(?:[-+].*)?$")


def is_version(text: str) -> bool:
    return SEMVER.match(text) is not None


def version_key(version: str) -> tuple[int, int, int]:
    """A sort key: numeric major, minor, patch; anything that is no version sorts first."""
    match = SEMVER.match(version)
    return (int(match[1]), int(match[2]), int(match[3])) if match else (-1, -1, -1)


def normalise_version(version: str) -> str:
    """``v1.2.3`` as ``1.2.3``; anything else as it is."""
    return version[1:] if is_version(version) and version.startswith("v") else version
