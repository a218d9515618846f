"""The node-service golden path, rendered for every choice combination, checked by real validators.

The checks every service built on the shared layer must pass live in ``validators_support``
and run here against node-service renders; this module adds the Node.js-specific ones.
Each validator runs once per rendered combination, except the expensive ones (checkov,
kubernetes-validate, promtool), which run once per distinct input: no CI provider or
lifecycle changes their input, so one run serves every render. CI checks run on one render
per CI provider. A missing validator skips locally and fails under CI=true.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from conftest import NODE_COMBOS, RenderService
from support import GOLDEN_PATHS
from validators_support import *  # noqa: F403 - the shared checks, collected here for node-service
from validators_support import load_yaml, one_per_provider

pytestmark = pytest.mark.validators
GOLDEN_PATH = "node-service"


@pytest.fixture(scope="session")
def service(node_service: Path) -> Path:
    return node_service


@pytest.fixture(scope="session")
def github_service(render_service: RenderService) -> Path:
    return render_service(GOLDEN_PATH, one_per_provider(NODE_COMBOS, "github"))


@pytest.fixture(scope="session")
def gitlab_service(render_service: RenderService) -> Path:
    return render_service(GOLDEN_PATH, one_per_provider(NODE_COMBOS, "gitlab"))


@pytest.fixture(scope="session")
def jenkins_service(render_service: RenderService) -> Path:
    return render_service(GOLDEN_PATH, one_per_provider(NODE_COMBOS, "jenkins"))


def test_dependabot_covers_every_ecosystem(github_service: Path) -> None:
    config = load_yaml(github_service / ".github" / "dependabot.yml")
    assert {u["package-ecosystem"] for u in config["updates"]} == {"npm", "docker", "github-actions", "terraform"}


def test_package_lock_matches_package_json(service: Path) -> None:
    """npm ci refuses a lock file out of step with package.json; check it without the registry."""
    package = json.loads((service / "package.json").read_text())
    lock = json.loads((service / "package-lock.json").read_text())
    root = lock["packages"][""]
    assert lock["name"] == root["name"] == package["name"] == "payments-api"
    for kind in ("dependencies", "devDependencies"):
        assert root[kind] == package[kind], kind
    assert lock["lockfileVersion"] == 3
    hosts = set(re.findall(r'"resolved": "https?://([^/"]+)', (service / "package-lock.json").read_text()))
    assert not hosts, f"the lock file names registry hosts: {hosts}"


def test_dockerfile_runs_as_a_numeric_user_with_a_node_healthcheck(service: Path) -> None:
    text = (service / "Dockerfile").read_text()
    version = json.loads((GOLDEN_PATHS / GOLDEN_PATH / "cookiecutter.json").read_text())["node_version"]
    assert re.findall(r"^FROM (\S+) AS", text, flags=re.MULTILINE) == [f"node:{version}-trixie-slim"] * 2
    assert re.search(r"^USER [0-9]+:[0-9]+$", text, flags=re.MULTILINE)
    assert 'CMD ["node", "-e"' in text and "curl" not in text.split("HEALTHCHECK")[1]
