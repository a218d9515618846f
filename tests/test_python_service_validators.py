"""The python-service golden path, rendered for every choice combination, checked by real validators.

The checks every service built on the shared layer must pass live in ``validators_support``
and run here against python-service renders; this module adds the Python-specific ones.
Each validator runs once per rendered combination, except the expensive ones (checkov,
kubernetes-validate, promtool), which run once per distinct input: no CI provider or
lifecycle changes their input, so one run serves every render. CI checks run on one render
per CI provider. A missing validator skips locally and fails under CI=true.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import PYTHON_COMBOS, RenderService
from support import require_tool
from validators_support import *  # noqa: F403 - the shared checks, collected here for python-service
from validators_support import load_yaml, one_per_provider, run_tool

pytestmark = pytest.mark.validators
GOLDEN_PATH = "python-service"


@pytest.fixture(scope="session")
def service(python_service: Path) -> Path:
    return python_service


@pytest.fixture(scope="session")
def github_service(render_service: RenderService) -> Path:
    return render_service(GOLDEN_PATH, one_per_provider(PYTHON_COMBOS, "github"))


@pytest.fixture(scope="session")
def gitlab_service(render_service: RenderService) -> Path:
    return render_service(GOLDEN_PATH, one_per_provider(PYTHON_COMBOS, "gitlab"))


@pytest.fixture(scope="session")
def jenkins_service(render_service: RenderService) -> Path:
    return render_service(GOLDEN_PATH, one_per_provider(PYTHON_COMBOS, "jenkins"))


def test_dependabot_covers_every_ecosystem(github_service: Path) -> None:
    config = load_yaml(github_service / ".github" / "dependabot.yml")
    assert {u["package-ecosystem"] for u in config["updates"]} == {"pip", "docker", "github-actions", "terraform"}


def test_generated_python_passes_the_services_own_ruff_config(service: Path) -> None:
    ruff = require_tool("ruff")
    check = run_tool([ruff, "check", "--no-cache", "."], service)
    assert check.returncode == 0, check.report()
    formatted = run_tool([ruff, "format", "--no-cache", "--check", "--diff", "."], service)
    assert formatted.returncode == 0, formatted.report()
