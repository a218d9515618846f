"""Checks that a service whose golden path ships alert rules still has them."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from platctl.doctor.model import Finding, Level, RuleMeta, Severity
from platctl.doctor.repo import Repo
from platctl.doctor.rules.observability._alerts import ALERT_FILE_PATTERNS, iter_groups

META = RuleMeta(
    code="OBS001",
    slug="alert-rules-present",
    title="Prometheus alert rules are present",
    severity=Severity.ERROR,
    level=Level.BRONZE,
    roles=("production",),
    rationale="A service without alerts fails silently: users notice the outage before the owning team does.",
    example="(observability/ has no alert rules)",
    fix_example="groups:\n  - name: payments-api-slo\n    rules:\n      - alert: PaymentsApiErrorBudgetBurnFast\n   "
                "    "
    " ...",
)


def check(repo: Repo, options: Mapping[str, Any]) -> Iterator[Finding]:
    expected = repo.golden_path_file(*(f"observability/{p}" for p in ALERT_FILE_PATTERNS))
    if expected is None:
        return
    if not any(group for group in iter_groups(repo) if any(group.alerts())):
        yield META.finding("no Prometheus alert rules found; the golden path ships them", expected, None)
