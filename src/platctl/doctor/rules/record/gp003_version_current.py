"""Checks that the service is on the newest version of its golden path.

The newest version is found offline: the bundled manifest for bundled golden
paths, the cached mirror's semver tags for git sources (kept by `platctl new`
and `platctl upgrade`), the manifest for a template directory. The finding
carries the changelog's headline for that version.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from platctl.doctor.model import Finding, Level, RuleMeta, Severity
from platctl.doctor.repo import Repo
from platctl.scaffold.record import RECORD_NAME

META = RuleMeta(
    code="GP003",
    slug="golden-path-current",
    title="The service is on the newest golden path version",
    severity=Severity.INFO,
    level=Level.GOLD,
    rationale="Every golden path release carries fixes (pinned actions, hardened images, better alerts); a service "
              "that "
    "lags keeps the old defects.",
    example="golden_path:\n  version: 0.9.0   # bundled is 1.0.0",
    fix_example="platctl upgrade",
)


def check(repo: Repo, options: Mapping[str, Any]) -> Iterator[Finding]:
    from platctl.doctor.versions import newest_version
    from platctl.semver import version_key

    record = repo.record
    section = record.get("golden_path") if record else None
    if not isinstance(section, dict):
        return
    recorded = str(section.get("version", ""))
    newest = newest_version(section)
    if not recorded or newest is None or version_key(recorded) >= version_key(newest.version):
        return
    name = section.get("name") or section.get("source")
    news = f": {newest.headline}" if newest.headline else ""
    line = section.line_of("version") if hasattr(section, "line_of") else 1
    yield META.finding(
        f"golden path {name} is at {recorded}; {newest.version} is available{news} (platctl upgrade)", RECORD_NAME, line
    )
