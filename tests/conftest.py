"""Shared fixtures: every golden-path combination is rendered once per test session."""

from __future__ import annotations

from pathlib import Path

import pytest

from support import choice_combinations, combo_id, render

PYTHON_COMBOS = choice_combinations("python-service")


@pytest.fixture(scope="session", params=PYTHON_COMBOS, ids=[combo_id(c) for c in PYTHON_COMBOS])
def python_service(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A python-service rendered once per choice combination, shared by every test."""
    root = tmp_path_factory.mktemp("python-service-" + combo_id(request.param))
    return render(root, "python-service", "payments-api", request.param)


@pytest.fixture(scope="session")
def default_python_service(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The python-service rendered with its defaults only."""
    return render(tmp_path_factory.mktemp("python-service-defaults"), "python-service", "payments-api", {})
