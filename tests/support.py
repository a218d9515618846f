"""Helpers shared by the test modules (conftest.py holds only fixtures)."""

from __future__ import annotations

import itertools
import json
import os
from pathlib import Path
from typing import Any

import pytest

REPO_ROOT = Path(__file__).resolve().parents[1]
GOLDEN_PATHS = REPO_ROOT / "golden_paths"
IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def choice_combinations(golden_path: str) -> list[dict[str, Any]]:
    """Every combination of the choice variables of a bundled golden path."""
    context = json.loads((GOLDEN_PATHS / golden_path / "cookiecutter.json").read_text())
    choices = {k: v for k, v in context.items() if isinstance(v, list) and not k.startswith("_")}
    keys = sorted(choices)
    return [dict(zip(keys, values, strict=False)) for values in itertools.product(*(choices[k] for k in keys))]


def combo_id(combo: dict[str, Any]) -> str:
    return "-".join(str(v) for v in combo.values()) or "defaults"


def render(tmp_root: Path, golden_path: str, name: str, answers: dict[str, Any]) -> Path:
    from platctl.scaffold.api import NewServiceRequest, new_service

    result = new_service(
        NewServiceRequest(
            name=name,
            golden_path=golden_path,
            answers={"owner": "team-payments", **answers},
            output_dir=tmp_root,
            git=True,
        )
    )
    return result.path


def require_tool(name: str) -> str:
    """Path of an external validator; skip locally when it is missing, fail under CI=true."""
    import shutil

    path = shutil.which(name)
    if path is None:
        message = f"validator {name!r} is not installed (scripts/test.sh installs it)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return path


def cookiecutter_tests() -> Path:
    """The ``tests/`` folder of cookiecutter's own sdist (templates platctl did not write), unpacked by
    scripts/test.sh; a skip locally when absent, a failure in CI."""
    found = sorted((REPO_ROOT / "tests/.cache").glob("cookiecutter-*/tests"))
    if not found:
        message = "cookiecutter's sdist is not unpacked in tests/.cache (scripts/test.sh fetches it)"
        if IN_CI:
            pytest.fail(message)
        pytest.skip(message)
    return found[-1]


def make_template(root: Path, files: dict[str, str], context: dict[str, Any] | None = None) -> Path:
    """A plain cookiecutter template: ``cookiecutter.json`` (a service_name by default) and ``files``."""
    root.mkdir(parents=True)
    (root / "cookiecutter.json").write_text(json.dumps(context or {"service_name": "svc"}))
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return root

