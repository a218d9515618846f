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
