"""platctl fleet: scanning, ingesting and keeping history, told as a platform team would use it."""

from __future__ import annotations

import json
import random
import sqlite3
from pathlib import Path

import pytest
import yaml

from cli_runner import run_cli
from fleet_support import add_waiver, make_fleet, render_bases


@pytest.fixture(scope="session")
def fleet_bases(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return render_bases(tmp_path_factory.mktemp("fleet-bases"))


@pytest.fixture()
def fleet(fleet_bases: dict[str, Path], tmp_path: Path) -> Path:
    root = tmp_path / "repos"
    make_fleet(fleet_bases, root, 6)
    return root


def report_json(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, db: Path) -> dict:  # type: ignore[type-arg]
    done = run_cli(capsys, monkeypatch, "fleet", "report", "--format", "json", "--db", str(db))
    assert done.code == 0, done
    return json.loads(done.out)


def test_scan_keeps_a_snapshot_per_service_and_a_vanished_repo_is_a_row(
    fleet: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "fleet.db"
    done = run_cli(capsys, monkeypatch, "fleet", "scan", f"{fleet}/*", str(tmp_path / "gone"), "--db", str(db))
    assert done.code == 1, done
    assert "Scanned 7 services, 1 failed; stored 7 new" in done.out
    assert f"{tmp_path / 'gone'}: no such repository" in done.err
    data = report_json(capsys, monkeypatch, db)
    assert data["totals"]["services"] == 7 and data["totals"]["failed"] == 1
    names = {r["name"] for r in data["repos"]}
    assert {"svc-00000", "svc-00005", "gone"} <= names
    on_path = [r for r in data["repos"] if r["golden_path"]]
    assert all(r["owner"].startswith("team-") for r in on_path if r["name"] != "gone")


def test_scanning_again_the_same_day_changes_nothing(
    fleet: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    db = str(tmp_path / "fleet.db")
    assert run_cli(capsys, monkeypatch, "fleet", "scan", f"{fleet}/*", "--db", db).code == 0
    again = run_cli(capsys, monkeypatch, "fleet", "scan", f"{fleet}/*", "--db", db)
    assert "stored 0 new, 0 replaced, 6 unchanged" in again.out, again
    later = run_cli(capsys, monkeypatch, "fleet", "scan", f"{fleet}/*", "--db", db, "--at", "2099-01-02")
    assert "stored 6 new" in later.out, later
    assert len(report_json(capsys, monkeypatch, Path(db))["history"]) == 2


def test_shards_split_the_fleet_stably_and_ingest_merges_them(
    fleet: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    shards = []
    for index in (1, 2, 3):
        out = tmp_path / f"shard-{index}.json"
        done = run_cli(capsys, monkeypatch, "fleet", "scan", f"{fleet}/*", "--shard", f"{index}/3", "--no-store",
                       "--output", str(out))
        assert done.code == 0, done
        shards.append({s["name"] for s in json.loads(out.read_text())["snapshots"]})
    assert sum(len(s) for s in shards) == 6 and set.union(*shards) == {f"svc-{i:05d}" for i in range(6)}
    db = tmp_path / "merged.db"
    files = [str(tmp_path / f"shard-{i}.json") for i in (1, 2, 3)]
    assert "6 new" in run_cli(capsys, monkeypatch, "fleet", "ingest", *files, "--db", str(db)).out
    assert (
        "0 new, 0 replaced, 6 unchanged" in run_cli(capsys, monkeypatch, "fleet", "ingest", *files, "--db", str(db)).out
    )


@pytest.mark.parametrize("spec", ["3/2", "0/2", "1/0", "x", "1/2/3"])
def test_a_bad_shard_spec_is_one_line(
    spec: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    done = run_cli(capsys, monkeypatch, "fleet", "scan", ".", "--shard", spec, "--no-store")
    assert done.code == 2 and done.err.count("\n") == 1 and "is not I/N" in done.err, done


def doctor_report(repo: Path, out: Path) -> Path:
    from platctl.doctor.api import DoctorOptions, run_doctor
    from platctl.doctor.reporters import json as json_reporter

    with out.open("w") as handle:
        json_reporter.render(run_doctor([repo], DoctorOptions()), handle)
    return out


def test_doctor_reports_from_each_repos_ci_ingest_idempotently(
    fleet: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    reports = [str(doctor_report(repo, tmp_path / f"{repo.name}.json")) for repo in sorted(fleet.iterdir())[:3]]
    db = str(tmp_path / "fleet.db")
    first = run_cli(capsys, monkeypatch, "fleet", "ingest", *reports, "--db", db, "--at", "2025-03-01")
    assert "3 new, 0 replaced, 0 unchanged" in first.out, first
    again = run_cli(capsys, monkeypatch, "fleet", "ingest", *reports, "--db", db, "--at", "2025-03-01T18:00:00")
    assert "0 new, 0 replaced, 3 unchanged" in again.out, again
    data = report_json(capsys, monkeypatch, Path(db))
    assert {r["key"] for r in data["repos"]} == {f"component:default/svc-{i:05d}" for i in range(3)}
    behind = [r for r in data["repos"] if r["version"] == "1.0.0"]
    assert all(r["versions_behind"] and r["versions_behind"] >= 1 for r in behind)
    recorded = {f"component:default/{repo.name}": yaml.safe_load((repo / ".platctl.yaml").read_text())
                ["golden_path"]["version"] for repo in sorted(fleet.iterdir())[:3]}
    assert {r["key"]: r["version"] for r in data["repos"]} == recorded  # up-to-date services too, not only GP003's


def test_a_broken_report_ingests_nothing_unless_skipped(
    fleet: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    good = doctor_report(next(fleet.iterdir()), tmp_path / "good.json")
    broken = tmp_path / "broken.json"
    broken.write_text('{"tool": {"name": "platctl doctor"}, "services": [')
    db = str(tmp_path / "fleet.db")
    done = run_cli(capsys, monkeypatch, "fleet", "ingest", str(good), str(broken), "--db", db)
    assert done.code == 2 and done.err.count("\n") == 1, done
    assert f"{broken}:1: not valid JSON" in done.err and "nothing was ingested" in done.err
    assert report_json(capsys, monkeypatch, Path(db))["totals"]["services"] == 0
    skipped = run_cli(capsys, monkeypatch, "fleet", "ingest", str(good), str(broken), "--db", db, "--skip-broken")
    assert skipped.code == 1 and "1 new" in skipped.out and "skipped" in skipped.err, skipped


@pytest.mark.parametrize(
    "content",
    [
        b'{"tool": {"name": "something else"}}',
        b'{"tool": {"name": "platctl fleet"}, ' b'"snapshots": [{"key": 1}]}',
        b"\xff\xfe",
        b"[]",
    ],
)
def test_reports_that_are_not_ours_are_refused(
    content: bytes, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    bad = tmp_path / "bad.json"
    bad.write_bytes(content)
    done = run_cli(capsys, monkeypatch, "fleet", "ingest", str(bad), "--db", str(tmp_path / "f.db"))
    assert done.code == 2 and done.err.count("\n") == 1 and str(bad) in done.err, done


def test_a_corrupt_database_is_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "fleet.db"
    db.write_bytes(b"this is not sqlite" * 100)
    done = run_cli(capsys, monkeypatch, "fleet", "report", "--db", str(db))
    assert done.code == 2 and done.err.count("\n") == 1 and "corrupt" in done.err, done


def test_a_locked_database_is_one_line_and_left_whole(
    fleet: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "fleet.db"
    assert run_cli(capsys, monkeypatch, "fleet", "scan", f"{fleet}/*", "--db", str(db)).code == 0
    monkeypatch.setenv("PLATCTL_FLEET_DB_TIMEOUT", "0.2")
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        done = run_cli(capsys, monkeypatch, "fleet", "scan", f"{fleet}/*", "--db", str(db), "--at", "2099-01-01")
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert done.code == 2 and "is locked by another writer" in done.err, done
    assert len(report_json(capsys, monkeypatch, db)["history"]) == 1


def test_an_unreachable_postgresql_is_one_line_without_the_password(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PLATCTL_FLEET_DB_TIMEOUT", "2")
    done = run_cli(capsys, monkeypatch, "fleet", "report", "--db", "postgresql://fleet:s3cret@127.0.0.1:1/fleet")
    assert done.code == 2 and done.err.count("\n") == 1, done
    assert "cannot connect" in done.err and "s3cret" not in done.err + done.out


def test_an_old_database_migrates_forward_and_keeps_its_history(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from sqlalchemy import create_engine, text

    from platctl.fleet.schema import MIGRATIONS

    db = tmp_path / "v1.db"
    with create_engine(f"sqlite:///{db}").begin() as conn:
        MIGRATIONS[0](conn)
        conn.execute(text("INSERT INTO fleet_meta VALUES ('schema_version', '1')"))
        conn.execute(text("INSERT INTO fleet_repos VALUES (1, 'component:default/old', '2024-01-01T00:00:00+00:00')"))
        conn.execute(
            text(
                "INSERT INTO fleet_snapshots (id, repo_id, day, scanned_at, digest, name, location, level, "
                "golden_path, version, errors, warnings, infos, waived) VALUES (1, 1, '2024-01-01', "
                "'2024-01-01T00:00:00+00:00', 'x', 'old', 'repos/old', 'gold', 'python-service', '1.0.0', "
                "0, 0, 0, 0)"
            )
        )
    data = report_json(capsys, monkeypatch, db)
    assert [r["name"] for r in data["repos"]] == ["old"] and data["repos"][0]["drift_files"] is None
    with create_engine(f"sqlite:///{db}").begin() as conn:
        assert conn.execute(text("SELECT value FROM fleet_meta")).scalar() == "2"


def test_a_newer_database_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "new.db"
    report_json(capsys, monkeypatch, db)
    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE fleet_meta SET value = '99'")
    done = run_cli(capsys, monkeypatch, "fleet", "report", "--db", str(db))
    assert done.code == 2 and "newer than this platctl knows" in done.err, done


def test_an_interrupted_ingest_keeps_every_batch_committed_before_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from fleet_support import synthetic_report
    from platctl.fleet import store
    from platctl.fleet.db import open_database
    from platctl.fleet.ingest import _from_fleet
    from platctl.fleet.summary import summarize

    rng = random.Random(1)
    snapshots = [_from_fleet(synthetic_report(i, rng, "2025-01-01")) for i in range(5)]
    real_insert, calls = store._insert, []

    def interrupted_in_the_second_batch(conn, new, repo_ids):  # type: ignore[no-untyped-def]
        calls.append(len(new))
        real_insert(conn, new, repo_ids)  # written inside the transaction, then Ctrl-C before it commits
        if len(calls) == 2:
            raise KeyboardInterrupt

    monkeypatch.setattr(store, "_insert", interrupted_in_the_second_batch)
    database = open_database(str(tmp_path / "f.db"))
    with pytest.raises(KeyboardInterrupt):
        store.store_snapshots(database, snapshots, batch=2)
    assert summarize(database).totals["services"] == 2  # the first batch, whole; nothing of the second
    monkeypatch.setattr(store, "_insert", real_insert)
    result = store.store_snapshots(database, snapshots, batch=2)
    assert (result.added, result.unchanged) == (3, 2) and summarize(database).totals["services"] == 5


def test_every_format_shows_the_same_numbers(
    fleet: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    add_waiver(fleet / "svc-00001" / ".platctl.yaml", "SEC003", "SECURITY.md", "2099-01-01")
    add_waiver(fleet / "svc-00002" / ".platctl.yaml", "SEC003", "SECURITY.md", "2000-01-01")
    db = str(tmp_path / "fleet.db")
    run_cli(capsys, monkeypatch, "fleet", "scan", f"{fleet}/*", "--db", db)
    data = report_json(capsys, monkeypatch, Path(db))
    totals = data["totals"]
    markdown = run_cli(capsys, monkeypatch, "fleet", "report", "-f", "markdown", "--db", db).out
    assert f"| {totals['services']} | {totals['on_golden_path']} (" in markdown
    csv_rows = run_cli(capsys, monkeypatch, "fleet", "report", "-f", "csv", "--db", db).out.strip().splitlines()
    assert len(csv_rows) == totals["services"] + 1 and csv_rows[0].startswith("key,name,owner")
    facts = json.loads(run_cli(capsys, monkeypatch, "fleet", "report", "-f", "backstage", "--db", db).out)
    by_name = {f["entity"]["name"]: f for f in facts["facts"]}
    assert set(by_name) == {r["name"] for r in data["repos"] if not r["error"]}
    for repo in data["repos"]:
        fact = by_name[repo["name"]]
        assert fact["entity"] == {"namespace": "default", "kind": "component", "name": repo["name"]}
        assert fact["facts"]["errorFindings"] == repo["errors"] and fact["facts"].get("maturityLevel") == repo["level"]
    assert [w["key"] for w in data["waivers"]] == ["component:default/svc-00002"]  # expired: listed; 2099: not soon
    html = run_cli(capsys, monkeypatch, "fleet", "report", "--db", db).out
    assert f'data-metric="services">{totals["services"]}<' in html and "<svg" in html


def test_repository_text_is_escaped_in_every_format(
    fleet: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    catalog = fleet / "svc-00001" / "catalog-info.yaml"
    catalog.write_text(catalog.read_text().replace("owner: team-search", 'owner: "<img src=x onerror=alert(1)>|=cmd"'))
    db = str(tmp_path / "fleet.db")
    run_cli(capsys, monkeypatch, "fleet", "scan", f"{fleet}/*", "--db", db)
    html = run_cli(capsys, monkeypatch, "fleet", "report", "--db", db).out
    assert "<img src=x" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    markdown = run_cli(capsys, monkeypatch, "fleet", "report", "-f", "markdown", "--db", db).out
    assert "<img" not in markdown and "\\|=cmd" in markdown
    csv_text = run_cli(capsys, monkeypatch, "fleet", "report", "-f", "csv", "--db", db).out
    assert ",<img" in csv_text  # not a formula: starts with <


def test_git_urls_are_cloned_shallow_into_the_cache(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from fleet_support import render_service

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    origin = render_service(tmp_path / "origin", "python-service", "cloned-api", git=True)
    repos = tmp_path / "repos.txt"
    repos.write_text(f"# the fleet\nfile://{origin}\nfile://{tmp_path}/nowhere.git\n")
    db = str(tmp_path / "fleet.db")
    done = run_cli(capsys, monkeypatch, "fleet", "scan", "--repos", str(repos), "--db", db)
    assert done.code == 1 and "nowhere.git: git clone failed" in done.err, done
    again = run_cli(capsys, monkeypatch, "fleet", "scan", "--repos", str(repos), "--db", db)
    assert "unchanged" in again.out, again
    rows = {r["name"]: r for r in report_json(capsys, monkeypatch, Path(db))["repos"]}
    assert rows["cloned-api"]["location"] == f"file://{origin}" and rows["cloned-api"]["level"]
    assert rows["nowhere"]["error"].startswith("git clone failed")


@pytest.mark.parametrize("args", [["fleet", "--help"], ["fleet", "scan", "--help"], ["fleet", "report", "--help"]])
def test_fleet_help_loads_nothing_heavy(args: list[str], tmp_path: Path) -> None:
    from test_startup import loaded

    assert loaded(args, tmp_path) == set()


def test_the_fleet_core_never_talks_to_a_terminal() -> None:
    import ast

    from support import REPO_ROOT

    for module in sorted((REPO_ROOT / "src/platctl/fleet").rglob("*.py")):
        tree = ast.parse(module.read_text())
        calls = {
            node.func.id for node in ast.walk(tree) if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
        }
        imported = {
            alias.name.split(".")[0]
            for node in ast.walk(tree)
            if isinstance(node, (ast.Import, ast.ImportFrom))
            for alias in node.names
        } | {node.module.split(".")[0] for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module}
        assert "print" not in calls and "input" not in calls, module
        assert not imported & {"typer", "click", "rich"}, module


def test_a_database_path_that_cannot_be_made_is_one_line(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    done = run_cli(capsys, monkeypatch, "fleet", "report", "--db", str(blocker / "sub" / "fleet.db"))
    assert done.code == 2 and "cannot create" in done.err and done.err.count("\n") == 1, done
