"""Checks that the service is on the newest version of its golden path that this platctl bundles."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from platctl.doctor.golden import version_key
from platctl.doctor.model import Finding, Level, RuleMeta, Severity
from platctl.doctor.repo import RECORD_NAME, Repo

META = RuleMeta(
    code="GP003",
    slug="golden-path-current",
    title="The service is on the newest golden path version",
    severity=Severity.INFO,
    level=Level.GOLD,
    rationale="Every golden path release carries fixes (pinned actions, hardened images, better alerts); a service that lags keeps the old defects.",
    example="golden_path:\n  version: 0.9.0   # bundled is 1.0.0",
    fix_example="platctl upgrade",
)


def check(repo: Repo, options: Mapping[str, Any]) -> Iterator[Finding]:
    record = repo.record
    info = repo.golden_path
    section = record.get("golden_path") if record else None
    if info is None or not isinstance(section, dict) or not info.version:
        return
    recorded = str(section.get("version", ""))
    if recorded and version_key(recorded) < version_key(info.version):
        line = section.line_of("version") if hasattr(section, "line_of") else 1
        yield META.finding(f"golden path {info.name} is at {recorded}; {info.version} is available (platctl upgrade)",
                           RECORD_NAME, line)
