"""Checks that `.platctl.yaml` names its golden path (name, source, version) and answers."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from platctl.doctor.model import Finding, Level, RuleMeta, Severity
from platctl.doctor.repo import Repo
from platctl.scaffold.record import RECORD_NAME, record_problem

META = RuleMeta(
    code="GP002",
    slug="golden-path-record-valid",
    title="The golden-path record is valid",
    severity=Severity.ERROR,
    level=Level.BRONZE,
    rationale="A record platctl cannot read blocks upgrades, drift checks and `doctor --fix`.",
    example="golden_path: python-service",
    fix_example="golden_path:\n  name: python-service\n  source: bundled:python-service\n  version: 1.0.0\nanswers: "
                "{...}",
)


def check(repo: Repo, options: Mapping[str, Any]) -> Iterator[Finding]:
    documents = repo.yaml(RECORD_NAME) if repo.exists(RECORD_NAME) else None
    if documents is None:
        return
    record = documents[0] if documents else None
    problem = record_problem(record)
    if problem:
        line = int(getattr(record, "line_of")("golden_path")) if isinstance(record, dict) else 1  # noqa: B009
        yield META.finding(problem if isinstance(record, dict) else f"record {problem}", RECORD_NAME, line or 1)
