"""The fleet database schema, and the migrations that bring any older database up to it.

Each migration is one transaction that also records its number, so a database
is always at exactly one version: ``schema_version`` in ``fleet_meta``. The
tables below describe the newest version; a migration describes only its own
step (historic table shapes stay frozen inside it), as migration tools do.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from sqlalchemy import Column, ForeignKey, Index, Integer, MetaData, String, Table, UniqueConstraint, text

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection

metadata = MetaData()

meta = Table("fleet_meta", metadata, Column("key", String(64), primary_key=True), Column("value", String(200)))

repos = Table(
    "fleet_repos", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("key", String(300), nullable=False, unique=True),
    Column("first_seen", String(32), nullable=False),
)

snapshots = Table(
    "fleet_snapshots", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("repo_id", Integer, ForeignKey("fleet_repos.id"), nullable=False),
    Column("day", String(10), nullable=False),
    Column("scanned_at", String(32), nullable=False),
    Column("digest", String(64), nullable=False),
    Column("name", String(300), nullable=False),
    Column("location", String(1000), nullable=False),
    Column("owner", String(300)),
    Column("golden_path", String(300)),
    Column("version", String(100)),
    Column("newest_version", String(100)),
    Column("versions_behind", Integer),
    Column("level", String(16)),
    Column("errors", Integer, nullable=False),
    Column("warnings", Integer, nullable=False),
    Column("infos", Integer, nullable=False),
    Column("waived", Integer, nullable=False),
    Column("error", String(1000)),
    Column("drift_files", Integer),  # schema 2
    UniqueConstraint("repo_id", "day", name="fleet_snapshot_per_day"),
)

rule_counts = Table(
    "fleet_rule_counts", metadata,
    Column("snapshot_id", Integer, ForeignKey("fleet_snapshots.id", ondelete="CASCADE"), nullable=False),
    Column("rule", String(100), nullable=False),
    Column("severity", String(16), nullable=False),
    Column("count", Integer, nullable=False),
    Index("fleet_rule_counts_snapshot", "snapshot_id"),
)

waivers = Table(  # schema 2
    "fleet_waivers", metadata,
    Column("snapshot_id", Integer, ForeignKey("fleet_snapshots.id", ondelete="CASCADE"), nullable=False),
    Column("rule", String(100), nullable=False),
    Column("path", String(1000), nullable=False),
    Column("expires", String(10)),
    Index("fleet_waivers_snapshot", "snapshot_id"),
)


def _v1(conn: Connection) -> None:
    """Repositories, daily snapshots and per-rule finding counts (frozen: the shape schema 1 had)."""
    v1 = MetaData()
    Table("fleet_meta", v1, Column("key", String(64), primary_key=True), Column("value", String(200)))
    Table("fleet_repos", v1, Column("id", Integer, primary_key=True, autoincrement=True),
          Column("key", String(300), nullable=False, unique=True), Column("first_seen", String(32), nullable=False))
    Table("fleet_snapshots", v1,
          Column("id", Integer, primary_key=True, autoincrement=True),
          Column("repo_id", Integer, ForeignKey("fleet_repos.id"), nullable=False),
          *[Column(name, String(size), nullable=False) for name, size in _V1_REQUIRED],
          *[Column(name, String(size)) for name, size in _V1_OPTIONAL],
          Column("versions_behind", Integer),
          *[Column(name, Integer, nullable=False) for name in ("errors", "warnings", "infos", "waived")],
          Column("error", String(1000)),
          UniqueConstraint("repo_id", "day", name="fleet_snapshot_per_day"))
    Table("fleet_rule_counts", v1,
          Column("snapshot_id", Integer, ForeignKey("fleet_snapshots.id", ondelete="CASCADE"), nullable=False),
          Column("rule", String(100), nullable=False), Column("severity", String(16), nullable=False),
          Column("count", Integer, nullable=False), Index("fleet_rule_counts_snapshot", "snapshot_id"))
    v1.create_all(conn)


_V1_REQUIRED = (("day", 10), ("scanned_at", 32), ("digest", 64), ("name", 300), ("location", 1000))
_V1_OPTIONAL = (("owner", 300), ("golden_path", 300), ("version", 100), ("newest_version", 100), ("level", 16))


def _v2(conn: Connection) -> None:
    """Waivers per snapshot (for the expiring-waivers table) and the drift summary."""
    conn.execute(text("ALTER TABLE fleet_snapshots ADD COLUMN drift_files INTEGER"))
    waivers.create(conn)
    Index("fleet_snapshots_day", snapshots.c.day).create(conn)


MIGRATIONS: tuple[Callable[[Connection], None], ...] = (_v1, _v2)
SCHEMA_VERSION = len(MIGRATIONS)
