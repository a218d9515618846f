"""One CSV row per service (its latest snapshot), for spreadsheets."""

from __future__ import annotations

import csv
from typing import TYPE_CHECKING, TextIO

from platctl.fleet.summary import REPO_COLUMNS

if TYPE_CHECKING:
    from platctl.fleet.reporters import ReportOptions
    from platctl.fleet.summary import FleetSummary


def render(summary: FleetSummary, out: TextIO, options: ReportOptions) -> None:
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(REPO_COLUMNS)
    for repo in summary.repos:
        writer.writerow(["" if repo[c] is None else _safe(repo[c]) for c in REPO_COLUMNS])


def _safe(value: object) -> object:
    """A text cell a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@``) is quoted with ``'``."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
