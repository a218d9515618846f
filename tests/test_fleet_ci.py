"""platctl fleet ci: the sharded pipelines pass actionlint, GitLab's schema and doctor's own CI rules."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from cli_runner import run_cli
from support import require_tool


def write_pipeline(tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch,
                   provider: str, *extra: str) -> Path:
    monkeypatch.chdir(tmp_path)
    done = run_cli(capsys, monkeypatch, "fleet", "ci", "--provider", provider, "--shards", "3", *extra)
    assert done.code == 0, done
    return tmp_path / (".github/workflows/platctl-fleet.yml" if provider == "github" else ".gitlab-ci.yml")


def test_the_github_workflow_passes_actionlint_and_doctor(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    actionlint = require_tool("actionlint")
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    workflow = write_pipeline(tmp_path, capsys, monkeypatch, "github", "--install", "platctl==1.2.3")
    text = workflow.read_text()
    assert "shard: [1, 2, 3]" in text and '--shard "${{ matrix.shard }}/3"' in text and "platctl==1.2.3" in text
    done = subprocess.run([actionlint, str(workflow)], cwd=tmp_path, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
    from platctl.doctor.api import DoctorOptions, run_doctor

    hardening = ("CI001", "CI002", "CI003", "CI004", "CI005", "CI007", "CI008", "CI009")  # CI006: a service's jobs
    report = run_doctor([tmp_path], DoctorOptions(select=hardening))
    ci_findings = [f for f in report.findings if f.path.startswith(".github/")]
    assert not ci_findings, ci_findings


def test_the_gitlab_pipeline_passes_gitlabs_schema(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    check_jsonschema = require_tool("check-jsonschema")
    pipeline = write_pipeline(tmp_path, capsys, monkeypatch, "gitlab")
    assert 'SHARD: ["1", "2", "3"]' in pipeline.read_text()
    done = subprocess.run([check_jsonschema, "--builtin-schema", "vendor.gitlab-ci", str(pipeline)],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_an_existing_pipeline_is_not_overwritten_without_force(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    pipeline = write_pipeline(tmp_path, capsys, monkeypatch, "gitlab")
    pipeline.write_text("ours\n")
    again = run_cli(capsys, monkeypatch, "fleet", "ci", "--provider", "gitlab")
    assert again.code == 2 and "use --force" in again.err and pipeline.read_text() == "ours\n", again
    assert run_cli(capsys, monkeypatch, "fleet", "ci", "--provider", "gitlab", "--force").code == 0


@pytest.mark.parametrize("args", [["--provider", "jenkins"], ["--provider", "github", "--shards", "0"],
                                  ["--provider", "github", "--repos", 'x"; rm -rf /']])
def test_bad_pipeline_options_are_one_line(args: list[str], capsys: pytest.CaptureFixture[str],
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    done = run_cli(capsys, monkeypatch, "fleet", "ci", *args, "--output", "-")
    assert done.code == 2 and done.err.count("\n") == 1, done
