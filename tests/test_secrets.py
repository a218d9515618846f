"""Answers marked secret are used for the render but never recorded or echoed."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cli_runner import run_cli


@pytest.fixture
def secret_template(tmp_path: Path) -> Path:
    root = tmp_path / "tmpl"
    (root / "{{cookiecutter.service_name}}").mkdir(parents=True)
    (root / "cookiecutter.json").write_text(json.dumps({"service_name": "svc", "api_token": "changeme"}))
    (root / "golden-path.yaml").write_text(
        "variables:\n  api_token:\n    secret: true\n    pattern: '^tok_[a-z0-9]{8}$'\n"
    )
    (root / "{{cookiecutter.service_name}}/.env.example").write_text("TOKEN_LENGTH={{ cookiecutter.api_token|length "
                                                                     "}}\n")
    return root


def test_secret_answers_are_not_recorded(capsys, monkeypatch, secret_template: Path, tmp_path: Path) -> None:
    result = run_cli(capsys, monkeypatch, "new", "service", "svc", "-g", str(secret_template),
                     "-s", "api_token=tok_s3cr3t00", "-o", str(tmp_path / "out"))
    assert result.code == 0, result
    service = tmp_path / "out/svc"
    assert (service / ".env.example").read_text() == "TOKEN_LENGTH=12\n"
    record = (service / ".platctl.yaml").read_text()
    assert "api_token" not in record and "s3cr3t" not in record
    assert "s3cr3t" not in result.out + result.err


def test_a_bad_secret_is_not_echoed(capsys, monkeypatch, secret_template: Path, tmp_path: Path) -> None:
    result = run_cli(capsys, monkeypatch, "new", "service", "svc", "-g", str(secret_template),
                     "-s", "api_token=hunter2-oops", "-o", str(tmp_path / "out"))
    assert result.code == 2, result
    assert "invalid value *** for api_token" in result.err and "hunter2" not in result.err
