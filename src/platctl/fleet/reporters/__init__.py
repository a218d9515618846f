"""Fleet reporters: one module per format, each with ``render(summary, out, options)``, imported only when chosen."""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, TextIO

from platctl.errors import UserError

if TYPE_CHECKING:
    from platctl.fleet.summary import FleetSummary

FORMATS = ("html", "markdown", "json", "csv", "backstage")
MODULE_BY_FORMAT = {"html": "html", "markdown": "markdown", "json": "json", "csv": "csv", "backstage": "backstage"}


@dataclass(frozen=True)
class ReportOptions:
    rule_docs: str = "docs/rules/{code}.md"  # where a rule code links to; {code} is replaced
    title: str = "Fleet"


class Reporter(Protocol):
    def __call__(self, summary: FleetSummary, out: TextIO, options: ReportOptions) -> None: ...


def reporter(name: str) -> Reporter:
    if name not in MODULE_BY_FORMAT:
        raise UserError(f"unknown --format {name!r}: choose one of {', '.join(FORMATS)}")
    module = importlib.import_module(f"platctl.fleet.reporters.{MODULE_BY_FORMAT[name]}")
    render: Reporter = module.render
    return render
