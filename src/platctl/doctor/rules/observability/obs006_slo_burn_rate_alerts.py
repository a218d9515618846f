"""Checks that the alert rules include multi-window, multi-burn-rate SLO alerts."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from platctl.doctor.model import Finding, Level, RuleMeta, Severity
from platctl.doctor.repo import Repo
from platctl.doctor.rules.observability._alerts import iter_groups

META = RuleMeta(
    code="OBS006",
    slug="slo-burn-rate-alerts",
    title="SLO burn-rate alerts are present",
    severity=Severity.WARNING,
    level=Level.GOLD,
    roles=("production",),
    rationale="Threshold alerts either page on noise or miss slow burns. Multi-window burn-rate alerts (SRE Workbook) "
              "page on what threatens the error budget, and only that.",
    example="- alert: HighErrorRate\n  expr: rate(errors[5m]) > 1",
    fix_example="- alert: ErrorBudgetBurnFast\n  expr: |\n    job:slo_errors:ratio_rate1h > (14.4 * 0.001)\n    and "
                "job:slo_errors:ratio_rate5m > (14.4 * 0.001)",
)

_MARKERS = ("14.4", "burnrate", "burn_rate", "errorbudget", "error_budget")


def check(repo: Repo, options: Mapping[str, Any]) -> Iterator[Finding]:
    groups = [g for g in iter_groups(repo) if any(g.alerts())]
    if not groups:
        return
    alerts = [a for g in groups for a in g.alerts()]
    if not any(any(m in f"{a.get('alert', '')} {a.get('expr', '')}".lower().replace(" ", "") for m in _MARKERS)
               for a in alerts):
        yield META.finding("no SLO burn-rate alert (e.g. a 14.4x burn over 1h and 5m)", groups[0].path, groups[0].line)
