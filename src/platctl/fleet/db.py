"""Opening the fleet database: SQLite by default, PostgreSQL by URL; errors become one line.

The database is ``--db`` if given, else ``$PLATCTL_FLEET_DB``, else
``$XDG_DATA_HOME/platctl/fleet.db`` (``~/.local/share/...``). A value holding
``://`` is an SQLAlchemy URL; ``postgresql://`` uses the pure-Python pg8000
driver. Every write is a transaction (SQLite's too: ``BEGIN IMMEDIATE``), and
opening a database migrates it forward to the newest schema.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from platctl.errors import UserError

if TYPE_CHECKING:
    from sqlalchemy.engine import Connection, Engine

DB_ENV = "PLATCTL_FLEET_DB"
TIMEOUT_ENV = "PLATCTL_FLEET_DB_TIMEOUT"  # seconds to wait for a lock or a connection


def database_url(db: str | None) -> str:
    """The SQLAlchemy URL for ``--db`` (or its defaults)."""
    value = db or os.environ.get(DB_ENV) or str(_default_path())
    if "://" not in value:
        path = Path(value).expanduser()
        if path.is_dir():
            raise UserError(f"--db {value} is a directory: give a database file or a URL")
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as error:
            why = f"cannot create {path.parent} ({error.strerror})"
            raise UserError(f"--db {value}: {why}; choose another path") from None
        return f"sqlite:///{path.resolve()}"
    for prefix in ("postgresql://", "postgres://"):
        if value.startswith(prefix):
            return "postgresql+pg8000://" + value[len(prefix):]
    return value


def _default_path() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "platctl" / "fleet.db"


class Database:
    """An open fleet database at the newest schema."""

    def __init__(self, engine: Engine, shown: str) -> None:
        self.engine = engine
        self.shown = shown  # the URL without its password, for messages

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """One transaction: committed when the block ends, rolled back on any error."""
        with translated(self.shown), self.engine.begin() as conn:
            yield conn

    def close(self) -> None:
        self.engine.dispose()


def open_database(db: str | None) -> Database:
    """Connect, check the schema version and migrate forward; a one-line error when it cannot."""
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError, NoSuchModuleError

    url = database_url(db)
    try:
        parsed = make_url(url)
        engine = create_engine(parsed, connect_args=_connect_args(parsed.get_backend_name()))
    except (ArgumentError, NoSuchModuleError, ValueError) as error:
        raise UserError(f"--db {db or url!r} is not a database path or URL: {_first_line(error)}") from None
    shown = parsed.render_as_string(hide_password=True)
    if parsed.get_backend_name() == "sqlite":
        _sqlite_transactions(engine)
    database = Database(engine, shown)
    migrate(database)
    return database


def _connect_args(backend: str) -> dict[str, Any]:
    timeout = float(os.environ.get(TIMEOUT_ENV) or 10)
    if backend == "sqlite":
        return {"timeout": timeout}
    if backend == "postgresql":
        return {"timeout": timeout}
    return {}


def _sqlite_transactions(engine: Engine) -> None:
    """SQLAlchemy's recipe: let SQLAlchemy, not pysqlite, begin transactions, so DDL is transactional too."""
    from sqlalchemy import event

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _begin(conn: Any) -> None:
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def migrate(database: Database) -> int:
    """Run every migration the database lacks, each in its own transaction; return the version."""
    from platctl.fleet.schema import MIGRATIONS, SCHEMA_VERSION

    version = current_version(database)
    if version > SCHEMA_VERSION:
        raise UserError(f"the fleet database {database.shown} has schema {version}, newer than this platctl "
                        f"knows ({SCHEMA_VERSION}): upgrade platctl")
    for number in range(version + 1, SCHEMA_VERSION + 1):
        with database.transaction() as conn:
            MIGRATIONS[number - 1](conn)
            _set_version(conn, number)
    return SCHEMA_VERSION


def current_version(database: Database) -> int:
    from sqlalchemy import inspect, select

    from platctl.fleet.schema import meta

    with database.transaction() as conn:
        if not inspect(conn).has_table("fleet_meta"):
            return 0
        value = conn.execute(select(meta.c.value).where(meta.c.key == "schema_version")).scalar()
    if value is None or not str(value).isdigit():
        raise UserError(f"the fleet database {database.shown} has no valid schema_version: it is not a fleet database")
    return int(value)


def _set_version(conn: Connection, number: int) -> None:
    from sqlalchemy import delete, insert

    from platctl.fleet.schema import meta

    conn.execute(delete(meta).where(meta.c.key == "schema_version"))
    conn.execute(insert(meta).values(key="schema_version", value=str(number)))


@contextmanager
def translated(shown: str) -> Iterator[None]:
    """Database driver errors as one line naming the database and what to do."""
    from sqlalchemy.exc import DBAPIError

    try:
        yield
    except DBAPIError as error:
        raise UserError(_operational(shown, error)) from None


def _operational(shown: str, error: Exception) -> str:
    detail = _first_line(getattr(error, "orig", None) or error)
    if "locked" in detail:
        return f"the fleet database {shown} is locked by another writer: try again when it has finished"
    if "not a database" in detail or "malformed" in detail:
        return f"the fleet database {shown} is corrupt ({detail}): restore it from a backup or use another --db"
    if "connect" in detail or "Connection refused" in detail or "timed out" in detail:
        return f"cannot connect to the fleet database {shown}: {detail}"
    if "unable to open" in detail:
        return f"cannot open the fleet database {shown}: {detail}"
    return f"cannot use the fleet database {shown}: {detail}"


def _first_line(error: object) -> str:
    text = str(error).strip().splitlines()
    return text[0] if text else type(error).__name__
