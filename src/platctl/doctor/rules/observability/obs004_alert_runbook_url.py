"""Checks that every alert links a runbook through `annotations.runbook_url`."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from platctl.doctor.model import Finding, Level, RuleMeta, Severity
from platctl.doctor.repo import Repo
from platctl.doctor.rules.observability._alerts import iter_groups, line

META = RuleMeta(
    code="OBS004",
    slug="alert-runbook-url",
    title="Every alert links a runbook",
    severity=Severity.ERROR,
    level=Level.BRONZE,
    roles=("production",),
    rationale="The engineer paged at 3am needs to know what the alert means and what to do; `runbook_url` puts that "
              "one "
    "click away.",
    example="annotations:\n  summary: High error rate",
    fix_example="annotations:\n  summary: High error rate\n  runbook_url: "
    "https://github.com/acme/payments-api/blob/main/docs/runbooks/high-error-rate.md",
)


def check(repo: Repo, options: Mapping[str, Any]) -> Iterator[Finding]:
    for group in iter_groups(repo):
        for alert in group.alerts():
            annotations = alert.get("annotations")
            if not (isinstance(annotations, dict) and annotations.get("runbook_url")):
                yield META.finding(
                    f"alert {alert.get('alert')} has no runbook_url annotation", group.path, line(alert, "alert")
                )
