"""The rendered node-service installs with `npm ci` from its committed lock file and its own suite
passes, on the Node.js line the image runs (node_version): scripts/install_node_lts.sh installs it."""

from __future__ import annotations

import json
import os
import re
import subprocess
from pathlib import Path

import pytest

from support import GOLDEN_PATHS, IN_CI, require_tool
from validators_support import ToolRun

pytestmark = pytest.mark.slow
NODE_RELEASE = json.loads((GOLDEN_PATHS / "node-service" / "cookiecutter.json").read_text())["node_version"]
NODE_VERSION = NODE_RELEASE.split(".")[0]  # the major line


def _node_major(node: Path) -> str:
    done = subprocess.run([str(node), "-p", "process.versions.node.split('.')[0]"], capture_output=True, text=True)
    return done.stdout.strip()


@pytest.fixture(scope="session")
def node_bin() -> Path:
    """The bin directory of the image's Node.js line: $PLATCTL_NODE_HOME, /opt/platctl-ci/node-<major>,
    or the node on PATH when it is that line."""
    home = Path(os.environ.get("PLATCTL_NODE_HOME", f"/opt/platctl-ci/node-{NODE_VERSION}"))
    candidates = [home / "bin"]
    import shutil

    if shutil.which("node"):
        candidates.append(Path(shutil.which("node")).parent)  # type: ignore[arg-type]
    for candidate in candidates:
        if (candidate / "node").is_file() and _node_major(candidate / "node") == NODE_VERSION:
            return candidate
    message = f"Node.js {NODE_VERSION} is not installed: run scripts/install_node_lts.sh"
    if IN_CI:
        pytest.fail(message)
    pytest.skip(message)


def run_node_tool(command: list[str], cwd: Path, node_bin: Path, timeout: int = 300) -> ToolRun:
    """npm and node with the image's Node.js line first on PATH (npm's own shebang finds it)."""
    env = {**os.environ, "PATH": f"{node_bin}{os.pathsep}{os.environ.get('PATH', '')}"}
    done = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False)
    return ToolRun(tuple(command), done.returncode, done.stdout, done.stderr)


@pytest.fixture(scope="session")
def installed_node_service(default_node_service: Path, node_bin: Path) -> tuple[Path, ToolRun]:
    """`npm ci` once per session: the exact dependency tree package-lock.json pins."""
    npm = require_tool("npm")
    install = run_node_tool([npm, "ci", "--no-audit", "--no-fund"], default_node_service, node_bin, timeout=900)
    return default_node_service, install


def test_node_is_the_line_the_image_runs(default_node_service: Path, node_bin: Path) -> None:
    dockerfile = (default_node_service / "Dockerfile").read_text()
    package = json.loads((default_node_service / "package.json").read_text())
    assert f"FROM node:{NODE_RELEASE}-trixie-slim AS runtime" in dockerfile
    assert package["engines"]["node"] == f">={NODE_VERSION}"
    assert _node_major(node_bin / "node") == NODE_VERSION


def test_service_installs_from_its_lock_file(installed_node_service: tuple[Path, ToolRun]) -> None:
    service, install = installed_node_service
    assert install.returncode == 0, install.report()
    assert (service / "node_modules" / "prom-client").is_dir()


def test_service_suite_passes(installed_node_service: tuple[Path, ToolRun], node_bin: Path) -> None:
    service, install = installed_node_service
    assert install.returncode == 0, install.report()
    run = run_node_tool([require_tool("npm"), "test"], service, node_bin, timeout=600)
    assert run.returncode == 0, run.report()
    # TAP ("# fail 0") or, on newer lines, the spec reporter ("ℹ fail 0")
    assert re.search(r"^[#ℹ] fail 0$", run.stdout, flags=re.MULTILINE), run.report()
    assert not re.search(r"^[#ℹ] pass 0$", run.stdout, flags=re.MULTILINE), run.report()


def test_service_passes_its_own_eslint_config(installed_node_service: tuple[Path, ToolRun], node_bin: Path) -> None:
    service, install = installed_node_service
    assert install.returncode == 0, install.report()
    run = run_node_tool([require_tool("npm"), "run", "lint"], service, node_bin)
    assert run.returncode == 0, run.report()
