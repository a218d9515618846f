"""Fixtures for the doctor tests."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Callable

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cli_runner import CliResult, run_cli  # noqa: E402


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Callable[..., CliResult]:
    """Run ``platctl`` in-process; the result prints the whole output when an assertion shows it."""

    def invoke(*args: str) -> CliResult:
        return run_cli(capsys, monkeypatch, *args)

    return invoke
