"""Our own golden paths, upgraded with our own tool: every 1.x service moves to the newest release.

A service rendered at python-service 1.1.0 or node-service 1.0.0 (the archived
releases), untouched or with a team's typical edits, upgrades to the newest
bundled version: untouched with no conflict, edited with the edits kept; doctor
on the upgraded service is as clean as on a fresh render, and a 1.x service
gets GP003's notice with the new version's headline.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from platctl.scaffold.catalog import load_bundled

OLD = {"python-service": "1.1.0", "node-service": "1.0.0"}


def run(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1", "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@e",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@e"}
    return subprocess.run([sys.executable, "-m", "platctl", *args], cwd=cwd, capture_output=True, text=True, env=env)


def git(*args: str, cwd: Path) -> str:
    done = run_git(args, cwd)
    assert done.returncode == 0, done.stderr
    return done.stdout


def run_git(args: tuple[str, ...], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@e", *args], cwd=cwd,
                          capture_output=True, text=True)


def old_service(tmp_path: Path, golden_path: str) -> Path:
    made = run("new", "service", "payments-api", "-g", golden_path, "--ref", OLD[golden_path], "--no-input",
               "--set", "owner=team-payments", "-o", str(tmp_path), cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    return tmp_path / "payments-api"


def newest(golden_path: str) -> str:
    return load_bundled(golden_path).version


def edit_like_a_team(service: Path, golden_path: str) -> dict[Path, str]:
    """A new route, a changed alert threshold, an extra CI step: returns each edit's marker by file."""
    edits: dict[Path, str] = {}
    if golden_path == "python-service":
        app = next(service.glob("src/*/app.py"))
        app.write_text(app.read_text() + "\n\n@app.get(\"/team-route\")\ndef team_route() -> dict[str, str]:\n"
                       "    return {\"team\": \"route\"}\n")
        edits[app] = "/team-route"
    else:
        app = service / "src" / "app.js"
        app.write_text(app.read_text() + "\n// team-route: the team's own endpoint lives here\n")
        edits[app] = "team-route"
    rules = service / "observability" / "slo-rules.yaml"
    text = rules.read_text()
    assert "for: 2m" in text, "the alert threshold this test edits moved"
    rules.write_text(text.replace("for: 2m", "for: 3m", 1))
    edits[rules] = "for: 3m"
    workflow = service / ".github" / "workflows" / "ci.yml"
    lines = workflow.read_text().splitlines(keepends=True)
    at = next(i for i, line in enumerate(lines) if line.strip() == "- name: yamllint")  # a lint step of its own
    indent = " " * (len(lines[at]) - len(lines[at].lstrip()))
    lines[at:at] = [f"{indent}- name: team-step\n", f"{indent}  run: echo the team's own step\n"]
    workflow.write_text("".join(lines))
    edits[workflow] = "team-step"
    git("add", "-A", cwd=service)
    git("commit", "-qm", "the team's own edits", cwd=service)
    return edits


@pytest.mark.parametrize("golden_path", sorted(OLD))
def test_an_untouched_1x_service_upgrades_without_conflict(tmp_path: Path, golden_path: str) -> None:
    service = old_service(tmp_path, golden_path)
    notice = run("doctor", str(service), "--format", "json", cwd=tmp_path)
    found = [f for s in json.loads(notice.stdout)["services"] for f in s["findings"] if f["rule"] == "GP003"]
    assert found and newest(golden_path) in found[0]["message"], notice.stdout
    upgraded = run("upgrade", str(service), "--commit", cwd=tmp_path)
    assert upgraded.returncode == 0, upgraded.stdout + upgraded.stderr
    assert "conflict" not in upgraded.stdout.lower()
    assert f"version: {newest(golden_path)}" in (service / ".platctl.yaml").read_text()
    _same_as_a_fresh_render(tmp_path, service, golden_path)


@pytest.mark.parametrize("golden_path", sorted(OLD))
def test_a_teams_edits_survive_the_upgrade(tmp_path: Path, golden_path: str) -> None:
    service = old_service(tmp_path, golden_path)
    edits = edit_like_a_team(service, golden_path)
    upgraded = run("upgrade", str(service), cwd=tmp_path)
    assert upgraded.returncode == 0, upgraded.stdout + upgraded.stderr
    for path, marker in edits.items():
        text = path.read_text()
        assert marker in text, f"{path.relative_to(service)} lost the team's edit"
        assert "<<<<<<<" not in text, f"{path.relative_to(service)} has a conflict"


def _same_as_a_fresh_render(tmp_path: Path, service: Path, golden_path: str) -> None:
    """doctor on the upgraded service finds what it finds on a fresh render of the newest version: nothing failing."""
    doctor = run("doctor", str(service), "--format", "json", cwd=tmp_path)
    assert doctor.returncode == 0, doctor.stdout + doctor.stderr
    report = json.loads(doctor.stdout)
    failing = [f for s in report["services"] for f in s["findings"] if f["severity"] != "info"]
    assert failing == [], failing
    fresh = tmp_path / "fresh"
    made = run("new", "service", "payments-api", "-g", golden_path, "--no-input", "--set", "owner=team-payments",
               "-o", str(fresh), cwd=tmp_path)
    assert made.returncode == 0, made.stderr
    diff = run("diff", str(service), "--stat", cwd=tmp_path)
    assert diff.returncode == 0, diff.stdout


ACTION = "acme/platctl-action@" + "c" * 40


def test_a_variable_new_in_the_release_takes_the_organisation_default(tmp_path: Path) -> None:
    """python-service 2.0.0 adds platctl_action, the kind of value a platform team sets once for everyone:
    the upgrade uses the organisation's default for it, while the answers the service recorded stay."""
    service = old_service(tmp_path, "python-service")
    git("add", "-A", cwd=service)
    config = tmp_path / "config" / "platctl"
    config.mkdir(parents=True)
    (config / "config.yaml").write_text(f"defaults:\n  platctl_action: {ACTION}\n  owner: team-elsewhere\n")
    env = {**os.environ, "NO_COLOR": "1", "XDG_CONFIG_HOME": str(tmp_path / "config"), "GIT_AUTHOR_NAME": "t",
           "GIT_AUTHOR_EMAIL": "t@e", "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@e"}
    done = subprocess.run([sys.executable, "-m", "platctl", "upgrade", "."], cwd=service, capture_output=True,
                          text=True, env=env)
    assert done.returncode == 0, done.stdout + done.stderr
    import yaml

    answers = yaml.safe_load((service / ".platctl.yaml").read_text())["answers"]
    assert answers["platctl_action"] == ACTION
    assert answers["owner"] == "team-payments"  # recorded: the organisation's default does not replace it
    assert ACTION in (service / ".github/workflows/ci.yml").read_text()
