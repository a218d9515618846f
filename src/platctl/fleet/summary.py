"""What the reports show, read from the database in a handful of queries.

The fleet *now* is each service's latest snapshot; the history is one point
per day over every snapshot of that day. Every reporter renders this one
``FleetSummary``, so the numbers on the page, in Markdown, JSON and CSV agree.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from platctl.fleet.model import LEVELS

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

    from platctl.fleet.db import Database


@dataclass(frozen=True)
class DayPoint:
    day: str
    repos: int
    on_golden_path: int
    current: int
    bronze_or_better: int


@dataclass(frozen=True)
class RuleRow:
    rule: str
    severity: str
    repos: int
    findings: int


@dataclass(frozen=True)
class TeamRow:
    owner: str
    repos: int
    on_golden_path: int
    current: int
    errors: int
    warnings: int
    levels: dict[str, int]


@dataclass(frozen=True)
class WaiverRow:
    key: str
    owner: str
    rule: str
    path: str
    expires: str
    days_left: int


@dataclass(frozen=True)
class FleetSummary:
    generated_at: str
    latest_day: str | None
    repos: list[dict[str, Any]]  # the latest snapshot of each service, oldest key first
    history: list[DayPoint]
    versions: dict[str, list[tuple[str, int]]]  # golden path -> (version, services), oldest version first
    levels: dict[str, int]
    rules: list[RuleRow]
    teams: list[TeamRow]
    waivers: list[WaiverRow]
    totals: dict[str, int] = field(default_factory=dict)


REPO_COLUMNS = ("key", "name", "owner", "golden_path", "version", "newest_version", "versions_behind", "level",
                "errors", "warnings", "infos", "waived", "drift_files", "day", "scanned_at", "location", "error")


def summarize(database: Database, today: dt.date | None = None, expiring_days: int = 30) -> FleetSummary:
    """Read the fleet now and its history; ``expiring_days`` picks which waivers count as expiring soon."""
    today = today or dt.date.today()
    with database.transaction() as conn:
        repos = _latest(conn)
        history = _history(conn)
        rules = _rules(conn)
        waivers = _waivers(conn, today, expiring_days)
    scanned = [r for r in repos if not r["error"]]
    return FleetSummary(
        generated_at=dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat(),
        latest_day=max((r["day"] for r in repos), default=None), repos=repos, history=history,
        versions=_versions(scanned), levels=_levels(scanned), rules=rules, teams=_teams(scanned), waivers=waivers,
        totals=_totals(repos, scanned, waivers),
    )


def _latest_ids(conn: Connection) -> Any:
    from sqlalchemy import func, select

    from platctl.fleet.schema import snapshots as s

    newest = select(s.c.repo_id, func.max(s.c.day).label("day")).group_by(s.c.repo_id).subquery()
    return select(s.c.id).join(newest, (s.c.repo_id == newest.c.repo_id) & (s.c.day == newest.c.day))


def _latest(conn: Connection) -> list[dict[str, Any]]:
    from sqlalchemy import select

    from platctl.fleet.schema import repos
    from platctl.fleet.schema import snapshots as s

    columns = [repos.c.key, *(s.c[name] for name in REPO_COLUMNS if name != "key")]
    query = select(*columns).join(repos, repos.c.id == s.c.repo_id).where(s.c.id.in_(_latest_ids(conn)))
    return [dict(row) for row in conn.execute(query.order_by(repos.c.key)).mappings()]


def _history(conn: Connection) -> list[DayPoint]:
    from sqlalchemy import case, func, select

    from platctl.fleet.schema import snapshots as s

    def count_if(condition: Any) -> Any:
        return func.sum(case((condition, 1), else_=0))

    query = select(s.c.day, func.count(), count_if(s.c.golden_path.is_not(None)), count_if(s.c.versions_behind == 0),
                   count_if(s.c.level.in_(LEVELS[1:]))).where(s.c.error.is_(None)).group_by(s.c.day).order_by(s.c.day)
    return [DayPoint(str(d), int(n), int(g or 0), int(c or 0), int(b or 0)) for d, n, g, c, b in conn.execute(query)]


def _rules(conn: Connection) -> list[RuleRow]:
    from sqlalchemy import func, select

    from platctl.fleet.schema import rule_counts as rc

    query = (select(rc.c.rule, rc.c.severity, func.count(func.distinct(rc.c.snapshot_id)), func.sum(rc.c.count))
             .where(rc.c.snapshot_id.in_(_latest_ids(conn))).group_by(rc.c.rule, rc.c.severity))
    rows = [RuleRow(str(r), str(s), int(n), int(f)) for r, s, n, f in conn.execute(query)]
    rank = {"error": 0, "warning": 1, "info": 2}
    return sorted(rows, key=lambda r: (-r.repos, rank.get(r.severity, 3), -r.findings, r.rule))


def _waivers(conn: Connection, today: dt.date, within: int) -> list[WaiverRow]:
    from sqlalchemy import select

    from platctl.fleet.schema import repos
    from platctl.fleet.schema import snapshots as s
    from platctl.fleet.schema import waivers as w

    limit = (today + dt.timedelta(days=within)).isoformat()
    query = (select(repos.c.key, s.c.owner, w.c.rule, w.c.path, w.c.expires).join(s, s.c.id == w.c.snapshot_id)
             .join(repos, repos.c.id == s.c.repo_id)
             .where(w.c.snapshot_id.in_(_latest_ids(conn)), w.c.expires.is_not(None), w.c.expires <= limit))
    rows = [WaiverRow(k, o or "(no owner)", r, p, e, (dt.date.fromisoformat(e) - today).days)
            for k, o, r, p, e in conn.execute(query)]
    return sorted(rows, key=lambda row: (row.expires, row.key, row.rule))


def _versions(repos: list[dict[str, Any]]) -> dict[str, list[tuple[str, int]]]:
    from platctl.semver import version_key

    counts: dict[str, Counter[str]] = defaultdict(Counter)
    for repo in repos:
        if repo["golden_path"]:
            counts[repo["golden_path"]][repo["version"] or "unknown"] += 1
    def order(item: tuple[str, int]) -> tuple[bool, Any]:
        return (item[0] == "unknown", version_key(item[0]) if item[0] != "unknown" else ())

    return {gp: sorted(c.items(), key=order) for gp, c in sorted(counts.items())}


def _levels(repos: list[dict[str, Any]]) -> dict[str, int]:
    counts = Counter(repo["level"] or "none" for repo in repos)
    return {level: counts.get(level, 0) for level in LEVELS}


def _teams(repos: list[dict[str, Any]]) -> list[TeamRow]:
    by_owner: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for repo in repos:
        by_owner[repo["owner"] or "(no owner)"].append(repo)
    return [
        TeamRow(
            owner,
            len(rs),
            sum(1 for r in rs if r["golden_path"]),
            sum(1 for r in rs if r["versions_behind"] == 0),
            sum(r["errors"] for r in rs),
            sum(r["warnings"] for r in rs),
            _levels(rs),
        )
        for owner, rs in sorted(by_owner.items())
    ]


def _totals(repos: list[dict[str, Any]], scanned: list[dict[str, Any]], waivers: list[WaiverRow]) -> dict[str, int]:
    return {
        "services": len(repos),
        "scanned": len(scanned),
        "failed": len(repos) - len(scanned),
        "on_golden_path": sum(1 for r in scanned if r["golden_path"]),
        "current": sum(1 for r in scanned if r["versions_behind"] == 0),
        "errors": sum(r["errors"] for r in scanned),
        "warnings": sum(r["warnings"] for r in scanned),
        "expiring_waivers": len(waivers),
    }
