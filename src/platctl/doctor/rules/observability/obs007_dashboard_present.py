"""Checks that a service whose golden path ships a Grafana dashboard still has one, and that each dashboard is
usable."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from platctl.doctor.model import Finding, Level, RuleMeta, Severity
from platctl.doctor.repo import Repo
from platctl.doctor.rules.observability._dashboards import iter_dashboards

META = RuleMeta(
    code="OBS007",
    slug="dashboard-present",
    title="A Grafana dashboard with a stable uid is present",
    severity=Severity.WARNING,
    level=Level.SILVER,
    roles=("production",),
    rationale="During an incident the on-call engineer needs the service's RED dashboard at hand; a stable `uid` "
              "keeps "
    "links from alerts working across re-imports.",
    example="(no dashboard, or a dashboard JSON without uid and panels)",
    fix_example='{"uid": "payments-api", "title": "payments-api", "tags": ["payments-api"], "panels": [...]}',
)


def check(repo: Repo, options: Mapping[str, Any]) -> Iterator[Finding]:
    dashboards = list(iter_dashboards(repo))
    expected = repo.golden_path_file("*dashboard*.json")
    if not dashboards and expected is not None:
        yield META.finding("no Grafana dashboard; the golden path ships one", expected, None)
    for path, data in dashboards:
        missing = [key for key in ("uid", "title", "panels") if not data.get(key)]
        if missing:
            yield META.finding(f"dashboard lacks {', '.join(missing)}", path, 1)
