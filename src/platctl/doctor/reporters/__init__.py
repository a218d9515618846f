"""Reporters: one module each with ``render(report, out)``, looked up by name.

Modules load on demand, so only the chosen reporter's imports (rich for text)
are paid for.
"""

from __future__ import annotations

import importlib
from typing import Callable, TextIO

from platctl.doctor.model import Report

REPORTER_NAMES = ("text", "json", "sarif", "junit", "github", "markdown", "codeclimate")
Render = Callable[[Report, TextIO], None]


def get_reporter(name: str) -> Render:
    if name not in REPORTER_NAMES:
        raise KeyError(name)
    module = importlib.import_module(f"platctl.doctor.reporters.{name}")
    render: Render = module.render
    return render
