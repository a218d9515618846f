"""The house style: src/ type-checks under mypy --strict (configured in pyproject.toml)."""

from __future__ import annotations

import subprocess
import sys

from support import REPO_ROOT, require_tool


def test_mypy_strict_passes_on_src() -> None:
    require_tool("mypy")
    done = subprocess.run([sys.executable, "-m", "mypy"], cwd=REPO_ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
