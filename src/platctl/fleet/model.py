"""Plain data for fleet: one snapshot per service per day, and what a scan or ingest did."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

LEVELS = ("none", "bronze", "silver", "gold")
SEVERITIES = ("error", "warning", "info")


@dataclass(frozen=True)
class RuleCount:
    """How many findings of one rule a service has."""

    rule: str
    severity: str
    count: int


@dataclass(frozen=True)
class WaiverFact:
    """One waiver a service declares, and when it stops suppressing anything."""

    rule: str
    path: str
    expires: str | None  # ISO date, or None for a waiver that never expires


@dataclass(frozen=True)
class Snapshot:
    """Everything fleet keeps about one service on one day.

    ``key`` is the service's Backstage entity ref (``component:default/NAME``):
    the same service scanned from a path, a clone or a doctor report is one row.
    A service that could not be scanned has ``error`` set and little else.
    """

    key: str
    name: str
    location: str
    scanned_at: str  # ISO 8601 UTC, seconds
    owner: str | None = None
    golden_path: str | None = None
    version: str | None = None
    newest_version: str | None = None
    versions_behind: int | None = None
    drift_files: int | None = None
    level: str | None = None
    rules: tuple[RuleCount, ...] = ()
    waivers: tuple[WaiverFact, ...] = ()
    waived: int = 0
    error: str | None = None

    @property
    def day(self) -> str:
        return self.scanned_at[:10]

    def count(self, severity: str) -> int:
        return sum(r.count for r in self.rules if r.severity == severity)

    def as_dict(self) -> dict[str, Any]:
        data = {k: getattr(self, k) for k in FIELDS}
        data["rules"] = [{"rule": r.rule, "severity": r.severity, "count": r.count} for r in self.rules]
        data["waivers"] = [{"rule": w.rule, "path": w.path, "expires": w.expires} for w in self.waivers]
        return data


FIELDS = ("key", "name", "location", "scanned_at", "owner", "golden_path", "version", "newest_version",
          "versions_behind", "drift_files", "level", "waived", "error")


@dataclass(frozen=True)
class StoreResult:
    """What writing snapshots to the database did."""

    added: int = 0
    replaced: int = 0
    unchanged: int = 0
    errors: tuple[str, ...] = field(default=())  # one line per input that could not be read
