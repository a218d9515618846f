"""Writing snapshots: one per service per day, in batches that each commit whole.

A snapshot whose content matches the one already stored for that service and
day is left alone (re-ingesting a report is idempotent); a different one
replaces it (the day's latest scan wins). A batch is one transaction, so an
interrupted ingest keeps every batch committed before it and nothing partial.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any

from platctl.fleet.model import Snapshot, StoreResult

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

    from platctl.fleet.db import Database

BATCH = 500


def digest(snapshot: Snapshot) -> str:
    """What the snapshot says, not when: two scans that found the same things share a digest."""
    data = snapshot.as_dict()
    data.pop("scanned_at")
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


def store_snapshots(database: Database, snapshots: Iterable[Snapshot], batch: int = BATCH) -> StoreResult:
    """Write every snapshot; return how many were added, replaced or already there."""
    totals = [0, 0, 0]
    chunk: list[Snapshot] = []
    for snapshot in _last_per_day(snapshots):
        chunk.append(snapshot)
        if len(chunk) >= batch:
            _add(totals, _store_batch(database, chunk))
            chunk = []
    if chunk:
        _add(totals, _store_batch(database, chunk))
    return StoreResult(added=totals[0], replaced=totals[1], unchanged=totals[2])


def _add(totals: list[int], counts: tuple[int, int, int]) -> None:
    for index, value in enumerate(counts):
        totals[index] += value


def _last_per_day(snapshots: Iterable[Snapshot]) -> list[Snapshot]:
    """Within one call, the latest snapshot of each service and day."""
    latest: dict[tuple[str, str], Snapshot] = {}
    for snapshot in snapshots:
        key = (snapshot.key, snapshot.day)
        if key not in latest or snapshot.scanned_at >= latest[key].scanned_at:
            latest[key] = snapshot
    return list(latest.values())


def _store_batch(database: Database, batch: Sequence[Snapshot]) -> tuple[int, int, int]:
    with database.transaction() as conn:
        repo_ids = _repo_ids(conn, batch)
        existing = _existing(conn, {repo_ids[s.key] for s in batch}, {s.day for s in batch})
        new, replaced_ids, unchanged = [], [], 0
        for snapshot in batch:
            found = existing.get((repo_ids[snapshot.key], snapshot.day))
            if found and found[1] == digest(snapshot):
                unchanged += 1
                continue
            if found:
                replaced_ids.append(found[0])
            new.append(snapshot)
        _delete(conn, replaced_ids)
        _insert(conn, new, repo_ids)
    return len(new) - len(replaced_ids), len(replaced_ids), unchanged


def _repo_ids(conn: Connection, batch: Sequence[Snapshot]) -> dict[str, int]:
    from sqlalchemy import insert, select

    from platctl.fleet.schema import repos

    keys = {s.key: s.scanned_at for s in batch}
    found = dict(conn.execute(select(repos.c.key, repos.c.id).where(repos.c.key.in_(keys))).all())
    missing = [{"key": k, "first_seen": seen} for k, seen in keys.items() if k not in found]
    if missing:
        conn.execute(insert(repos), missing)
        found = dict(conn.execute(select(repos.c.key, repos.c.id).where(repos.c.key.in_(keys))).all())
    return found


def _existing(conn: Connection, repo_ids: set[int], days: set[str]) -> dict[tuple[int, str], tuple[int, str]]:
    from sqlalchemy import select

    from platctl.fleet.schema import snapshots as table

    query = select(table.c.repo_id, table.c.day, table.c.id, table.c.digest).where(
        table.c.repo_id.in_(repo_ids), table.c.day.in_(days))
    return {(r, d): (i, g) for r, d, i, g in conn.execute(query)}


def _delete(conn: Connection, ids: list[int]) -> None:
    from sqlalchemy import delete

    from platctl.fleet.schema import rule_counts, snapshots, waivers

    if ids:
        for table in (rule_counts, waivers):
            conn.execute(delete(table).where(table.c.snapshot_id.in_(ids)))
        conn.execute(delete(snapshots).where(snapshots.c.id.in_(ids)))


def _insert(conn: Connection, new: list[Snapshot], repo_ids: dict[str, int]) -> None:
    from sqlalchemy import insert

    from platctl.fleet.schema import rule_counts, snapshots, waivers

    if not new:
        return
    rows = [_row(s, repo_ids[s.key]) for s in new]
    done = conn.execute(insert(snapshots).returning(snapshots.c.id, sort_by_parameter_order=True), rows)
    ids = [row[0] for row in done]
    counts = [{"snapshot_id": i, "rule": r.rule, "severity": r.severity, "count": r.count}
              for i, s in zip(ids, new, strict=False) for r in s.rules]
    waived = [{"snapshot_id": i, "rule": w.rule, "path": w.path, "expires": w.expires}
              for i, s in zip(ids, new, strict=False) for w in s.waivers]
    if counts:
        conn.execute(insert(rule_counts), counts)
    if waived:
        conn.execute(insert(waivers), waived)


def _row(snapshot: Snapshot, repo_id: int) -> dict[str, Any]:
    return {
        "repo_id": repo_id, "day": snapshot.day, "scanned_at": snapshot.scanned_at, "digest": digest(snapshot),
        "name": snapshot.name, "location": snapshot.location, "owner": snapshot.owner,
        "golden_path": snapshot.golden_path, "version": snapshot.version, "newest_version": snapshot.newest_version,
        "versions_behind": snapshot.versions_behind, "level": snapshot.level, "drift_files": snapshot.drift_files,
        "errors": snapshot.count("error"), "warnings": snapshot.count("warning"), "infos": snapshot.count("info"),
        "waived": snapshot.waived, "error": snapshot.error,
    }
