"""platctl fleet against a real PostgreSQL server, started from Debian's packages for this module.

The server runs from a temporary directory on a free local port with trust
authentication; as root it runs as the ``postgres`` user the Debian package
creates (PostgreSQL refuses to run as root). Skipped locally when PostgreSQL
is not installed; required under CI=true (scripts/test.sh installs it).
"""

from __future__ import annotations

import glob
import json
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from cli_runner import run_cli
from fleet_support import make_fleet, render_bases
from support import IN_CI


def postgres_bin() -> Path:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), key=lambda p: int(Path(p).parts[-3]))
    if not found:
        message = "PostgreSQL is not installed (scripts/test.sh installs Debian's postgresql)"
        pytest.fail(message) if IN_CI else pytest.skip(message)
    return Path(found[-1]).parent


def as_server_user(argv: list[str]) -> list[str]:
    return ["runuser", "-u", "postgres", "--", *argv] if os.geteuid() == 0 else argv


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def postgres() -> Iterator[str]:
    """The URL of a fresh server (database ``postgres``, superuser ``fleet``); stopped afterwards."""
    bindir = postgres_bin()
    home = Path(tempfile.mkdtemp(prefix="platctl-pg-"))
    data = home / "data"
    if os.geteuid() == 0:
        shutil.chown(home, "postgres")
    port = free_port()
    subprocess.run(as_server_user([str(bindir / "initdb"), "-D", str(data), "-U", "fleet", "--auth=trust", "-E",
                                   "UTF8", "--no-sync"]), check=True, capture_output=True)
    options = f"-c listen_addresses=127.0.0.1 -c port={port} -c unix_socket_directories={home} -c fsync=off"
    subprocess.run(as_server_user([str(bindir / "pg_ctl"), "-D", str(data), "-o", options, "-l", str(home / "log"),
                                   "-w", "-t", "60", "start"]), check=True, capture_output=True)
    try:
        yield f"postgresql://fleet@127.0.0.1:{port}"
    finally:
        subprocess.run(as_server_user([str(bindir / "pg_ctl"), "-D", str(data), "-m", "fast", "stop"]),
                       capture_output=True)
        shutil.rmtree(home, ignore_errors=True)


@pytest.fixture()
def database(postgres: str, request: pytest.FixtureRequest) -> str:
    """A database of its own for each test."""
    import pg8000.native

    name = "fleet_" + request.node.name.lower().replace("[", "_").replace("]", "")[:40]
    admin = pg8000.native.Connection(
        "fleet", host="127.0.0.1", port=int(postgres.rsplit(":", 1)[1]), database="postgres"
    )
    admin.run(f'DROP DATABASE IF EXISTS "{name}"')
    admin.run(f'CREATE DATABASE "{name}"')
    admin.close()
    return f"{postgres}/{name}"


def test_postgresql_keeps_the_same_history_as_sqlite(
    database: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    make_fleet(render_bases(tmp_path / "bases"), tmp_path / "repos", 5)
    sqlite = str(tmp_path / "fleet.db")
    for db in (database, sqlite):
        for day in ("2025-01-01", "2025-01-02"):
            done = run_cli(capsys, monkeypatch, "fleet", "scan", f"{tmp_path}/repos/*", "--db", db, "--at", day)
            assert done.code == 0 and "stored 5 new" in done.out, done
    again = run_cli(capsys, monkeypatch, "fleet", "scan", f"{tmp_path}/repos/*", "--db", database, "--at", "2025-01-02")
    assert "0 new, 0 replaced, 5 unchanged" in again.out, again
    reports = [
        json.loads(run_cli(capsys, monkeypatch, "fleet", "report", "-f", "json", "--db", db).out)
        for db in (database, sqlite)
    ]
    for report in reports:
        report.pop("generated_at")
    assert reports[0] == reports[1] and len(reports[0]["history"]) == 2


def test_a_broken_shard_leaves_postgresql_untouched(
    database: str, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    good = tmp_path / "good.json"
    good.write_text(
        json.dumps(
            {
                "tool": {"name": "platctl fleet"},
                "snapshots": [
                    {
                        "key": "component:default/a",
                        "name": "a",
                        "location": "a",
                        "scanned_at": "2025-01-01T00:00:00+00:00",
                        "level": "gold",
                        "rules": [{"rule": "GP003", "severity": "info", "count": 1}],
                    }
                ],
            }
        )
    )
    broken = tmp_path / "broken.json"
    broken.write_text("{")
    assert run_cli(capsys, monkeypatch, "fleet", "ingest", str(good), str(broken), "--db", database).code == 2
    summary = json.loads(run_cli(capsys, monkeypatch, "fleet", "report", "-f", "json", "--db", database).out)
    assert summary["totals"]["services"] == 0
    assert "1 new" in run_cli(capsys, monkeypatch, "fleet", "ingest", str(good), "--db", database).out
    summary = json.loads(run_cli(capsys, monkeypatch, "fleet", "report", "-f", "json", "--db", database).out)
    assert summary["rules"] == [{"rule": "GP003", "severity": "info", "repos": 1, "findings": 1}]


def test_a_stopped_server_is_one_line(
    postgres: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    port = free_port()
    monkeypatch.setenv("PLATCTL_FLEET_DB_TIMEOUT", "3")
    started = time.monotonic()
    done = run_cli(capsys, monkeypatch, "fleet", "report", "--db", f"postgresql://fleet@127.0.0.1:{port}/none")
    assert done.code == 2 and done.err.count("\n") == 1 and "cannot connect" in done.err, done
    assert time.monotonic() - started < 30
