"""The rendered node-service installs with `npm ci` from its committed lock file and its own suite passes."""

from __future__ import annotations

from pathlib import Path

import pytest

from support import require_tool
from validators_support import ToolRun, run_tool

pytestmark = pytest.mark.slow


@pytest.fixture(scope="session")
def installed_node_service(default_node_service: Path) -> tuple[Path, ToolRun]:
    """`npm ci` once per session: the exact dependency tree package-lock.json pins."""
    npm = require_tool("npm")
    install = run_tool([npm, "ci", "--no-audit", "--no-fund"], default_node_service, timeout=900)
    return default_node_service, install


def test_node_is_the_version_the_image_runs(default_node_service: Path) -> None:
    node = require_tool("node")
    version = run_tool([node, "--version"], default_node_service)
    assert int(version.stdout.strip().lstrip("v").split(".")[0]) >= 20, version.report()


def test_service_installs_from_its_lock_file(installed_node_service: tuple[Path, ToolRun]) -> None:
    service, install = installed_node_service
    assert install.returncode == 0, install.report()
    assert (service / "node_modules" / "prom-client").is_dir()


def test_service_suite_passes(installed_node_service: tuple[Path, ToolRun]) -> None:
    service, install = installed_node_service
    assert install.returncode == 0, install.report()
    run = run_tool([require_tool("npm"), "test"], service, timeout=600)
    assert run.returncode == 0, run.report()
    assert "# fail 0" in run.stdout and "# pass 0" not in run.stdout, run.report()


def test_service_passes_its_own_eslint_config(installed_node_service: tuple[Path, ToolRun]) -> None:
    service, install = installed_node_service
    assert install.returncode == 0, install.report()
    run = run_tool([require_tool("npm"), "run", "lint"], service)
    assert run.returncode == 0, run.report()
