"""The rendered python-service installs with `pip install -e '.[test]'` and its own suite passes."""

from __future__ import annotations

import shutil
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from validators_support import ToolRun, run_tool

pytestmark = pytest.mark.slow


def _interpreter() -> str:
    """Python 3.12 like the service's image when it is runnable here, else this interpreter."""
    candidate = shutil.which("python3.12")
    if candidate:
        probe = subprocess.run([candidate, "--version"], capture_output=True, text=True, check=False)
        if probe.returncode == 0:
            return candidate
    return sys.executable


@pytest.fixture(scope="session")
def service_venv(default_python_service: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, ToolRun]:
    """One virtualenv per session with the rendered service installed in editable mode."""
    env_dir = tmp_path_factory.mktemp("python-service-venv") / "venv"
    interpreter = _interpreter()
    if interpreter == sys.executable:
        venv.EnvBuilder(with_pip=True).create(env_dir)
    else:
        subprocess.run([interpreter, "-m", "venv", str(env_dir)], check=True)
    python = env_dir / "bin" / "python"
    install = run_tool(
        [python, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-e", ".[test]"],
        default_python_service,
        timeout=900,
    )
    return python, install


def test_service_installs_with_its_test_extra(service_venv: tuple[Path, ToolRun]) -> None:
    _, install = service_venv
    assert install.returncode == 0, install.report()


def test_service_suite_passes(service_venv: tuple[Path, ToolRun], default_python_service: Path) -> None:
    python, install = service_venv
    assert install.returncode == 0, install.report()
    run = run_tool([python, "-m", "pytest", "-q", "-p", "no:cacheprovider"], default_python_service, timeout=600)
    assert run.returncode == 0, run.report()
    assert " passed" in run.stdout, run.report()
