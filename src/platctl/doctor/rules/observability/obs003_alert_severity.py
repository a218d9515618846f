"""Checks that every alert carries a `severity` label."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from platctl.doctor.model import Finding, Level, RuleMeta, Severity
from platctl.doctor.repo import Repo
from platctl.doctor.rules.observability._alerts import iter_groups, line

META = RuleMeta(
    code="OBS003",
    slug="alert-severity-label",
    title="Every alert has a severity label",
    severity=Severity.ERROR,
    level=Level.BRONZE,
    roles=("production",),
    rationale="Alertmanager routes on `severity`: without it an alert pages nobody, or everybody.",
    example="- alert: HighErrors\n  expr: ...",
    fix_example="- alert: HighErrors\n  expr: ...\n  labels:\n    severity: page",
)


def check(repo: Repo, options: Mapping[str, Any]) -> Iterator[Finding]:
    for group in iter_groups(repo):
        for alert in group.alerts():
            labels = alert.get("labels")
            if not (isinstance(labels, dict) and labels.get("severity")):
                yield META.finding(
                    f"alert {alert.get('alert')} has no severity label", group.path, line(alert, "alert")
                )
