"""The summary as JSON: every number the dashboard shows, for scripts."""

from __future__ import annotations

import dataclasses
import json
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from platctl.fleet.reporters import ReportOptions
    from platctl.fleet.summary import FleetSummary

SCHEMA_VERSION = 1


def render(summary: FleetSummary, out: TextIO, options: ReportOptions) -> None:
    data = {"schema_version": SCHEMA_VERSION, **dataclasses.asdict(summary)}
    data["versions"] = {gp: [{"version": v, "services": n} for v, n in rows] for gp, rows in summary.versions.items()}
    out.write(json.dumps(data, indent=2) + "\n")
