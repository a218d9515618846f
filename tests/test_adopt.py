"""`platctl adopt`: an existing repository joins a golden path; nothing of its own is touched."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from test_upgrade import git, run, snapshot

DOCKERFILE = 'FROM python:3.12-slim\nCOPY . /app\nCMD ["python", "-m", "orders"]\n'
WORKFLOW = (
    "name: build\non: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n"
    "    steps:\n      - uses: actions/checkout@v4\n      - run: make test\n"
)


@pytest.fixture
def existing_repo(tmp_path: Path) -> Path:
    """A repository with its own app, Dockerfile, workflow and CODEOWNERS, and a GitHub remote."""
    repo = tmp_path / "orders"
    files = {
        "Dockerfile": DOCKERFILE,
        ".github/workflows/build.yml": WORKFLOW,
        "pyproject.toml": '[project]\nname = "orders"\nversion = "0.1.0"\n',
        "src/orders/__init__.py": "",
        "README.md": "# orders\n",
        "CODEOWNERS": "* @acme/team-orders\n",
    }
    for rel, text in files.items():
        (repo / rel).parent.mkdir(parents=True, exist_ok=True)
        (repo / rel).write_text(text)
    git("init", "-q", "-b", "main", cwd=repo)
    git("remote", "add", "origin", "git@github.com:acme/orders-api.git", cwd=repo)
    git("add", "-A", cwd=repo)
    git("commit", "-qm", "init", cwd=repo)
    return repo


def test_dry_run_shows_the_plan_and_writes_nothing(existing_repo: Path) -> None:
    before = snapshot(existing_repo)
    result = run("adopt", "--dry-run", cwd=existing_repo)
    assert result.returncode == 0, result
    assert "service_name = orders-api  (git remote)" in result.stdout
    assert "owner = team-orders  (CODEOWNERS)" in result.stdout
    assert "github_org = acme  (git remote)" in result.stdout
    assert "keep  Dockerfile" in result.stdout and "add   catalog-info.yaml" in result.stdout
    assert "provides its own ci, container, codeowners: those are kept whole" in result.stdout
    assert snapshot(existing_repo) == before


def test_adopt_keeps_own_files_adds_missing_ones_and_doctor_reports_real_gaps(existing_repo: Path) -> None:
    before = snapshot(existing_repo)
    result = run("adopt", "--set", "system=orders", cwd=existing_repo)
    assert result.returncode == 0, result
    after = snapshot(existing_repo)
    for rel, content in before.items():
        assert after[rel] == content, f"{rel} was changed"
    added = set(after) - set(before)
    for rel in [".platctl.yaml", "catalog-info.yaml", "terraform/main.tf", "deploy/base/deployment.yaml",
                "observability/slo-rules.yaml", "docs/runbook.md", "docs/adoption.md", "SECURITY.md"]:
        assert rel in added, f"{rel} was not added"
    assert ".dockerignore" not in added, ("the golden path's .dockerignore belongs to its Dockerfile, not the "
                                          "repository's")
    assert not [rel for rel in added if rel.startswith(("src/", "tests/", ".github/workflows/"))]
    assert "Dockerfile" not in added
    catalog = (existing_repo / "catalog-info.yaml").read_text()
    assert "owner: team-orders" in catalog and "system: orders" in catalog
    doctor = run("doctor", "--format", "json", cwd=existing_repo)
    assert doctor.returncode == 1, doctor
    findings = [f for s in json.loads(doctor.stdout)["services"] for f in s["findings"]]
    assert findings, "the kept Dockerfile and workflow have real gaps"
    own = [f for f in findings if f["rule"] != "OBS009"]
    assert {f["path"] for f in own} <= {"Dockerfile", ".github/workflows/build.yml"}, findings
    report = (existing_repo / "docs/adoption.md").read_text()
    assert "| answer the liveness probe at `/healthz` | `OBS009` | **not seen**: check it |" in report
    assert {f["path"] for f in findings if f["rule"] == "OBS009"} <= {
        "deploy/base/deployment.yaml", "deploy/base/servicemonitor.yaml", "deploy/base/prometheusrule.yaml",
        "observability/slo-rules.yaml"}, "the app's code is empty: only the contract the report names is unmet"
    assert {"DOCKER001", "CI002"} <= {f["rule"] for f in findings}


def test_a_repository_on_a_golden_path_already_is_refused(existing_repo: Path) -> None:
    assert run("adopt", cwd=existing_repo).returncode == 0
    again = run("adopt", cwd=existing_repo)
    assert again.returncode == 2 and "on a golden path already" in again.stderr


def test_owner_and_description_come_from_the_catalog(existing_repo: Path) -> None:
    (existing_repo / "catalog-info.yaml").write_text(
        "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: orders\n"
        "  description: Takes orders.\nspec:\n  owner: team-catalog\n"
    )
    result = run("adopt", "--dry-run", cwd=existing_repo)
    assert "owner = team-catalog  (catalog-info.yaml)" in result.stdout
    assert "description = Takes orders.  (catalog-info.yaml)" in result.stdout
    assert "keep  catalog-info.yaml" in result.stdout
