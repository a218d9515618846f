"""A value built from a secret is a secret: never recorded, never shown, never cached.

The golden path here has a secret ``api_token`` and a public ``db_url`` whose
default embeds it, the way a connection string does. The secret string must
appear nowhere but in the rendered files that use it.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from cli_runner import run_cli

SECRET = "tok_canary42"


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@t", *args], check=True,
                   capture_output=True)


@pytest.fixture
def template(tmp_path: Path) -> Path:
    """A git golden path with versions 1.0.0 and 1.1.0 (1.1.0 changes the file that holds the URL)."""
    root = tmp_path / "gp"
    (root / "{{cookiecutter.service_name}}").mkdir(parents=True)
    context = {"service_name": "svc", "api_token": "tok_changeme", "db_url": "postgres://app:{{ cookiecutter.api_token "
                                                                             "}}@db/app"}
    (root / "cookiecutter.json").write_text(json.dumps(context))
    (root / "golden-path.yaml").write_text(
        "name: secretive\nversion: 1.0.0\nvariables:\n  api_token:\n    secret: true\n    pattern: '^tok_[a-z0-9]+$'\n"
        "  db_url:\n    pattern: '^postgres://.*$'\n"
    )
    app = root / "{{cookiecutter.service_name}}/app.env"
    app.write_text("DATABASE_URL={{ cookiecutter.db_url }}\n")
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    git(root, "add", "-A")
    git(root, "commit", "-qm", "1.0.0")
    git(root, "tag", "1.0.0")
    app.write_text("# v1.1\nDATABASE_URL={{ cookiecutter.db_url }}\n")
    (root / "golden-path.yaml").write_text((root / "golden-path.yaml").read_text().replace("1.0.0", "1.1.0"))
    git(root, "commit", "-qam", "1.1.0")
    git(root, "tag", "1.1.0")
    return root


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))

    def run(*args: str):
        return run_cli(capsys, monkeypatch, *args)

    return run


def make(cli, template: Path, tmp_path: Path) -> Path:
    made = cli("new", "service", "svc", "-g", str(template), "--ref", "1.0.0", "-s", f"api_token={SECRET}",
               "-o", str(tmp_path / "out"))
    assert made.code == 0, made
    assert SECRET not in made.out + made.err
    return tmp_path / "out" / "svc"


def test_a_value_built_from_a_secret_is_not_recorded(cli, template: Path, tmp_path: Path) -> None:
    service = make(cli, template, tmp_path)
    assert f"postgres://app:{SECRET}@db/app" in (service / "app.env").read_text()
    record = (service / ".platctl.yaml").read_text()
    assert SECRET not in record and "db_url" not in record


def test_a_bad_value_built_from_a_secret_is_not_echoed(cli, template: Path, tmp_path: Path) -> None:
    result = cli("new", "service", "svc", "-g", str(template), "--ref", "1.0.0", "-s", f"api_token={SECRET}",
                 "-s", f"db_url=mysql://{SECRET}@db", "-o", str(tmp_path / "out"))
    assert result.code == 2, result
    assert "db_url" in result.err and SECRET not in result.err


def test_upgrade_dry_run_does_not_print_the_secret(cli, template: Path, tmp_path: Path) -> None:
    service = make(cli, template, tmp_path)
    planned = cli("upgrade", str(service), "--ref", "1.1.0", "--dry-run", "-s", f"api_token={SECRET}")
    assert planned.code == 0, planned
    assert "# v1.1" in planned.out and "DATABASE_URL=postgres://app:***@db/app" in planned.out
    assert SECRET not in planned.out + planned.err


def test_no_render_holding_a_secret_is_cached(cli, template: Path, tmp_path: Path) -> None:
    service = make(cli, template, tmp_path)
    cli("upgrade", str(service), "--ref", "1.1.0", "--dry-run", "-s", f"api_token={SECRET}")
    cache = tmp_path / "cache"
    leaked = [p for p in cache.rglob("*") if p.is_file() and SECRET.encode() in p.read_bytes()]
    assert not leaked
