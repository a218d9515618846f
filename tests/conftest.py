"""Shared fixtures: every golden-path combination is rendered once per test session."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from support import choice_combinations, combo_id, render

PYTHON_COMBOS = choice_combinations("python-service")
NODE_COMBOS = choice_combinations("node-service")

RenderService = Callable[[str, dict[str, Any]], Path]


@pytest.fixture(scope="session", autouse=True)
def shared_validator_runs(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Under pytest-xdist, workers share expensive validator runs through a folder in the
    run's common temporary directory (see validators_support.run_once_per_input)."""
    import os

    from validators_support import SHARED_RUNS_ENV

    if os.environ.get("PYTEST_XDIST_WORKER"):
        os.environ[SHARED_RUNS_ENV] = str(tmp_path_factory.getbasetemp().parent / "validator-runs")


@pytest.fixture(scope="session")
def render_service(tmp_path_factory: pytest.TempPathFactory) -> RenderService:
    """Render a golden path with some answers, once per session: fixtures that select
    the same combination (all combinations, or only the GitLab ones) share one render."""
    renders: dict[tuple[str, str], Path] = {}

    def rendered(golden_path: str, answers: dict[str, Any]) -> Path:
        key = (golden_path, combo_id(answers))
        if key not in renders:
            root = tmp_path_factory.mktemp(f"{golden_path}-{key[1]}")
            renders[key] = render(root, golden_path, "payments-api", answers)
        return renders[key]

    return rendered


@pytest.fixture(scope="session", params=PYTHON_COMBOS, ids=[combo_id(c) for c in PYTHON_COMBOS])
def python_service(request: pytest.FixtureRequest, render_service: RenderService) -> Path:
    """A python-service rendered once per choice combination, shared by every test."""
    return render_service("python-service", request.param)


@pytest.fixture(scope="session")
def default_python_service(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The python-service rendered with its defaults only."""
    return render(tmp_path_factory.mktemp("python-service-defaults"), "python-service", "payments-api", {})


@pytest.fixture(scope="session", params=NODE_COMBOS, ids=[combo_id(c) for c in NODE_COMBOS])
def node_service(request: pytest.FixtureRequest, render_service: RenderService) -> Path:
    """A node-service rendered once per choice combination, shared by every test."""
    return render_service("node-service", request.param)


@pytest.fixture(scope="session")
def default_node_service(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The node-service rendered with its defaults only."""
    return render(tmp_path_factory.mktemp("node-service-defaults"), "node-service", "payments-api", {})


SECURITY_SUITE = Path(__file__).parent / "security"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The security suite (tests/security): every test there is an attack that must fail.

    Each plants a canary (a file outside the work directory, a secret string, an
    exit code) and fails if the attack works; docs/security.md lists each
    guarantee against its test. Run it alone with ``pytest -m security``.
    """
    for item in items:
        if SECURITY_SUITE in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.security)
