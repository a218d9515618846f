"""The fleet core the CLI calls: scan, ingest, summarize. Nothing here prints."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from platctl.errors import UserError
from platctl.fleet.collect import ScanOptions, now_iso
from platctl.fleet.model import Snapshot, StoreResult
from platctl.fleet.scan import Progress, scan_targets
from platctl.fleet.summary import FleetSummary

if TYPE_CHECKING:
    from platctl.fleet.db import Database


@dataclass(frozen=True)
class ScanRequest:
    patterns: tuple[str, ...] = ()
    repos_file: Path | None = None
    shard: str | None = None
    options: ScanOptions = ScanOptions()
    db: str | None = None
    store: bool = True
    workers: int | None = None


@dataclass(frozen=True)
class ScanOutcome:
    snapshots: tuple[Snapshot, ...]
    stored: StoreResult | None

    @property
    def failed(self) -> list[Snapshot]:
        return [s for s in self.snapshots if s.error]


def scan_fleet(request: ScanRequest, progress: Progress | None = None) -> ScanOutcome:
    """Scan this shard's repositories, then (unless ``store`` is off) write the snapshots in transactions."""
    from platctl.fleet.targets import collect_targets, parse_shard

    shard = parse_shard(request.shard)
    targets = collect_targets(list(request.patterns), request.repos_file, shard)
    database = _open(request.db) if request.store else None  # a bad --db fails before the scan, not after it
    snapshots = scan_targets(targets, request.options, progress, request.workers)
    stored = _store(database, snapshots) if database else None
    return ScanOutcome(tuple(snapshots), stored)


def ingest_reports(paths: list[Path], db: str | None, at: str | None = None, skip_broken: bool = False) -> StoreResult:
    """Merge doctor and fleet JSON reports into the database; a broken file stops everything unless skipped."""
    from platctl.fleet.ingest import read_reports

    if not paths:
        raise UserError("no reports to ingest: give doctor or fleet JSON files")
    parsed = read_reports(paths, _timestamp(at))
    if parsed.broken and not skip_broken:
        more = f" (and {len(parsed.broken) - 1} more)" if len(parsed.broken) > 1 else ""
        raise UserError(f"{parsed.broken[0]}{more}; nothing was ingested (--skip-broken ingests the rest)")
    result = _store(_open(db), list(parsed.snapshots))
    return StoreResult(result.added, result.replaced, result.unchanged, parsed.broken)


def fleet_summary(db: str | None, today: dt.date | None = None, expiring_days: int = 30) -> FleetSummary:
    from platctl.fleet.summary import summarize

    database = _open(db)
    try:
        return summarize(database, today, expiring_days)
    finally:
        database.close()


def _open(db: str | None) -> Database:
    from platctl.fleet.db import open_database

    return open_database(db)


def _store(database: Database, snapshots: list[Snapshot]) -> StoreResult:
    from platctl.fleet.store import store_snapshots

    try:
        return store_snapshots(database, snapshots)
    finally:
        database.close()


def _timestamp(at: str | None) -> str:
    """``--at`` as an ISO timestamp in UTC (a bare date means its midnight); now without it."""
    if at is None:
        return now_iso()
    try:
        when = dt.datetime.fromisoformat(at)
    except ValueError:
        raise UserError(f"--at {at!r} is not an ISO date or timestamp (for example 2025-01-31)") from None
    if when.tzinfo is None:
        when = when.replace(tzinfo=dt.timezone.utc)
    return when.astimezone(dt.timezone.utc).replace(microsecond=0).isoformat()


def scan_time(at: str | None) -> str | None:
    return _timestamp(at) if at else None
