"""The rendered python-service installs with `pip install -e '.[test]'` and its own suite passes."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from support import IN_CI
from validators_support import ToolRun, run_tool

pytestmark = pytest.mark.slow


def _interpreter() -> str | None:
    """Python 3.12, the line of the image (requires-python >=3.12): on PATH, or a pyenv build."""
    import glob
    import os

    pyenv_root = os.environ.get("PYENV_ROOT", os.path.expanduser("~/.pyenv"))
    candidates = [shutil.which("python3.12"), *sorted(glob.glob(f"{pyenv_root}/versions/3.12*/bin/python3.12"))]
    for candidate in filter(None, candidates):
        probe = subprocess.run([candidate, "--version"], capture_output=True, text=True, check=False)
        if probe.returncode == 0:
            return candidate
    if sys.version_info[:2] == (3, 12):
        return sys.executable
    return None


@pytest.fixture(scope="session")
def service_venv(default_python_service: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, ToolRun]:
    """One virtualenv per session with the rendered service installed in editable mode."""
    env_dir = tmp_path_factory.mktemp("python-service-venv") / "venv"
    interpreter = _interpreter()
    if interpreter is None:
        message = "Python 3.12 (the image's line) is not installed"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    subprocess.run([interpreter, "-m", "venv", str(env_dir)], check=True)
    python = env_dir / "bin" / "python"
    # The service's own CI install step, run as CI runs it: what the image installs, every file
    # checked against its hash, then the test extra.
    env = {**os.environ, "PATH": f"{env_dir / 'bin'}{os.pathsep}{os.environ['PATH']}", "PIP_QUIET": "1",
           "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    command = ci_install_step(default_python_service)
    done = subprocess.run(["bash", "-euo", "pipefail", "-c", command], cwd=default_python_service, env=env,
                          capture_output=True, text=True, timeout=900, check=False)
    return python, ToolRun(("bash", "-c", command), done.returncode, done.stdout, done.stderr)


def ci_install_step(service: Path) -> str:
    """The ``run`` of the GitHub test job's Install step."""
    import yaml

    workflow = yaml.safe_load((service / ".github/workflows/ci.yml").read_text())
    [step] = [s for s in workflow["jobs"]["test"]["steps"] if s.get("name") == "Install"]
    return str(step["run"])


def test_service_installs_from_its_hashed_lock_and_test_extra(service_venv: tuple[Path, ToolRun],
                                                               default_python_service: Path) -> None:
    _, install = service_venv
    assert install.returncode == 0, install.report()
    command = ci_install_step(default_python_service)
    locked = "python -m pip install --require-hashes -r requirements.lock --only-binary=:all:"
    assert locked in command and command.index(locked) < command.index("-e '.[test]'"), command


def test_lock_file_pins_every_dependency_with_hashes(default_python_service: Path) -> None:
    import re

    import tomllib

    project = tomllib.loads((default_python_service / "pyproject.toml").read_text())["project"]
    lock = (default_python_service / "requirements.lock").read_text()
    pinned = {m.lower(): v for m, v in re.findall(r"^([A-Za-z0-9_.-]+)==(\S+) \\$", lock, flags=re.MULTILINE)}
    for requirement in project["dependencies"]:
        name = re.split(r"[<>=!~\[; ]", requirement, maxsplit=1)[0].lower()
        assert name in pinned, f"{name} is not in requirements.lock"
    assert lock.count("==") == len(pinned) and lock.count("--hash=sha256:") >= len(pinned)
    assert project["requires-python"] == ">=3.12"
    dockerfile = (default_python_service / "Dockerfile").read_text()
    assert "FROM python:3.12-slim-trixie AS runtime" in dockerfile
    assert "pip install --no-cache-dir --require-hashes --only-binary :all: -r requirements.lock" in dockerfile


def test_service_suite_passes(service_venv: tuple[Path, ToolRun], default_python_service: Path) -> None:
    python, install = service_venv
    assert install.returncode == 0, install.report()
    run = run_tool([python, "-m", "pytest", "-q", "-p", "no:cacheprovider"], default_python_service, timeout=600)
    assert run.returncode == 0, run.report()
    assert " passed" in run.stdout, run.report()
