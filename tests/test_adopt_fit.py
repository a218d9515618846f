"""`platctl adopt` fits the repository it adopts: it detects before it writes, adds nothing that shadows
or duplicates the team's own configs, follows the Dockerfile into a monorepo's subdirectory, and reports
what it kept, what conflicts and what the app must still do."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from test_upgrade import git, run, snapshot

FIXTURES = Path(__file__).parent / "fixtures" / "adopt"


def _copy(name: str, tmp_path: Path) -> Path:
    repo = tmp_path / name
    shutil.copytree(FIXTURES / name, repo)
    git("init", "-q", "-b", "main", cwd=repo)
    git("remote", "add", "origin", f"git@github.com:acme/{name}.git", cwd=repo)
    git("add", "-A", cwd=repo)
    git("commit", "-qm", "init", cwd=repo)
    return repo


@pytest.fixture
def yarn_repo(tmp_path: Path) -> Path:
    """An Express API: yarn, ESLint's legacy .eslintrc.json, husky + lint-staged, Travis CI, a compose file."""
    return _copy("yarn-travis", tmp_path)


@pytest.fixture
def monorepo(tmp_path: Path) -> Path:
    """A poetry backend in backend/ (its own Dockerfile), a frontend, compose files, its own GitHub workflow."""
    return _copy("poetry-monorepo", tmp_path)


def test_nothing_shadows_the_teams_eslint_husky_or_travis(yarn_repo: Path) -> None:
    result = run("adopt", "--dry-run", cwd=yarn_repo)
    assert result.returncode == 0, result
    out = result.stdout
    for shadowing in ("add   eslint.config.js", "add   .pre-commit-config.yaml", "add   .github/workflows/ci.yml"):
        assert shadowing not in out, out
    assert "skip  eslint.config.js: the repository provides its lint its own way (.eslintrc.json)" in out
    assert "skip  .pre-commit-config.yaml: the repository provides its git-hooks its own way (.husky/pre-commit)" in out
    assert "Travis CI (`.travis.yml`) runs this repository's CI" in out


def test_answers_come_from_the_repository_with_their_origin(yarn_repo: Path) -> None:
    out = run("adopt", "--dry-run", cwd=yarn_repo).stdout
    assert "package_manager = yarn  (yarn.lock)" in out
    assert "test_command = yarn test  (package.json scripts.test)" in out
    assert "port = 3000  (docker-compose.yml (orders ports))" in out
    assert "health_path = /health  (src/index.js)" in out
    assert "metrics_path = /metrics  (src/index.js)" in out
    assert "description = Takes and tracks customer orders over HTTP.  (package.json)" in out


def test_the_pipeline_uses_the_repositorys_package_manager_and_commands(yarn_repo: Path) -> None:
    (yarn_repo / ".travis.yml").unlink()
    assert run("adopt", cwd=yarn_repo).returncode == 0
    pipeline = (yarn_repo / ".github/workflows/ci.yml").read_text()
    assert "yarn install --frozen-lockfile" in pipeline and "run: yarn test" in pipeline
    assert "run: yarn lint" in pipeline and "cache: yarn" in pipeline
    assert "npm ci" not in pipeline


def test_manifests_probe_and_scrape_what_the_app_serves(yarn_repo: Path) -> None:
    assert run("adopt", cwd=yarn_repo).returncode == 0
    deployment = (yarn_repo / "deploy/base/deployment.yaml").read_text()
    assert "containerPort: 3000" in deployment and deployment.count("path: /health\n") == 3
    assert "path: /healthz" not in deployment and "path: /readyz" not in deployment
    assert "path: /metrics" in (yarn_repo / "deploy/base/servicemonitor.yaml").read_text()


def test_the_report_names_the_contract_and_doctor_agrees(yarn_repo: Path) -> None:
    assert run("adopt", cwd=yarn_repo).returncode == 0
    report = (yarn_repo / "docs/adoption.md").read_text()
    assert "| answer the liveness probe at `/health` | `OBS009` | src/index.js |" in report
    assert "| export the metric `http_requests_total` | `OBS009` | **not seen**: check it |" in report
    doctor = run("doctor", "--format", "json", "--select", "OBS009", cwd=yarn_repo)
    findings = [f for s in json.loads(doctor.stdout)["services"] for f in s["findings"]]
    assert findings and all("http_request" in f["message"] for f in findings), findings


def test_dry_run_shows_the_same_report_and_writes_nothing(yarn_repo: Path) -> None:
    before = snapshot(yarn_repo)
    dry = run("adopt", "--dry-run", cwd=yarn_repo).stdout
    assert snapshot(yarn_repo) == before
    assert "The report is not written to docs/adoption.md." in dry
    real = run("adopt", cwd=yarn_repo).stdout
    assert _plan_lines(dry) == _plan_lines(real)


def _plan_lines(output: str) -> list[str]:
    return [line for line in output.splitlines() if line.startswith(("  note", "  the app must", "  skip", "  add"))]


def test_each_service_of_a_monorepo_is_adopted_in_its_own_directory(monorepo: Path) -> None:
    result = run("adopt", cwd=monorepo)
    assert result.returncode == 0, result
    assert (monorepo / "backend/.platctl.yaml").is_file() and (monorepo / "frontend/.platctl.yaml").is_file()
    assert not (monorepo / ".platctl.yaml").exists() and not (monorepo / ".dockerignore").exists()
    assert not (monorepo / "deploy").exists() and not (monorepo / "backend/.github").exists()
    assert (monorepo / "backend/.dockerignore").read_text() == ".venv\n__pycache__\n"


def test_the_backend_gets_its_port_probes_and_name(monorepo: Path) -> None:
    result = run("adopt", "--service", "backend", cwd=monorepo)
    assert result.returncode == 0, result
    assert not (monorepo / "frontend/.platctl.yaml").exists()
    deployment = (monorepo / "backend/deploy/base/deployment.yaml").read_text()
    assert "containerPort: 8000" in deployment
    assert "path: /api/v1/utils/health-check/" in deployment and "/healthz" not in deployment
    assert "image: poetry-monorepo-backend\n" in deployment
    record = (monorepo / "backend/.platctl.yaml").read_text()
    assert "package_manager: poetry" in record and "test_command: poetry run bash scripts/test.sh" in record
    report = (monorepo / "backend/docs/adoption.md").read_text()
    assert "`Dockerfile` kept: the service's own file" in report
    assert "port | `8000` | docker-compose.yml (backend healthcheck) |" in report
    assert "`CODEOWNERS` not added: it works only at the repository root" in report


def test_the_organisation_defaults_fill_only_what_the_repository_does_not_say(
        yarn_repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "config" / "platctl" / "config.yaml"
    config.parent.mkdir(parents=True)
    config.write_text("defaults:\n  aws_region: eu-central-1\n  port: '8080'\n  package_manager: npm\n")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    assert run("adopt", cwd=yarn_repo).returncode == 0
    import yaml

    answers = yaml.safe_load((yarn_repo / ".platctl.yaml").read_text())["answers"]
    assert answers["aws_region"] == "eu-central-1"  # the repository does not say: the platform team's region
    assert (answers["port"], answers["package_manager"]) == ("3000", "yarn")  # what the repository says wins
    report = (yarn_repo / "docs/adoption.md").read_text()
    assert f"| aws_region | `eu-central-1` | defaults in {config} |" in report
    assert "| package_manager | `yarn` | yarn.lock |" in report
