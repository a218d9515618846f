"""Checks that Prometheus rule groups are well-formed: named groups, each rule an alert or record with an expr."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from platctl.doctor.model import Finding, Level, RuleMeta, Severity
from platctl.doctor.repo import Repo
from platctl.doctor.rules.observability._alerts import iter_groups, line

META = RuleMeta(
    code="OBS002",
    slug="alert-rules-valid",
    title="Prometheus rule files are well-formed",
    severity=Severity.ERROR,
    level=Level.BRONZE,
    roles=("production",),
    rationale="Prometheus refuses to load a rule file with one bad rule, so every alert in it stops working.",
    example="groups:\n  - rules:\n      - alert: HighErrors",
    fix_example="groups:\n  - name: payments-api\n    rules:\n      - alert: HighErrors\n        expr: "
                "job:errors:ratio5m > 0.05\n        for: 5m",
)

_DURATION = re.compile(r"^(\d+(ms|s|m|h|d|w|y))+$")


def check(repo: Repo, options: Mapping[str, Any]) -> Iterator[Finding]:
    for group in iter_groups(repo):
        if not group.group.get("name"):
            yield META.finding("rule group has no name", group.path, group.line)
        if "labels" in group.group:
            yield META.finding("group-level labels are rejected by promtool before 2.51", group.path,
                               line(group.group, "labels"))
        for rule in group.rules():
            problem = _rule_problem(rule)
            if problem:
                yield META.finding(problem, group.path, line(rule))


def _rule_problem(rule: dict[str, Any]) -> str | None:
    if ("alert" in rule) == ("record" in rule):
        return "rule must have exactly one of alert or record"
    if not isinstance(rule.get("expr"), (str, int, float)) or str(rule.get("expr")).strip() == "":
        return f"rule {rule.get('alert') or rule.get('record')} has no expr"
    duration = rule.get("for")
    if duration is not None and not _DURATION.match(str(duration)):
        return f"rule {rule.get('alert') or rule.get('record')} has an invalid for: {duration!r}"
    return None
