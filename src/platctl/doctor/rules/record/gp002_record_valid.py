"""Checks that `.platctl.yaml` names its golden path (name, source, version) and answers."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from platctl.doctor.golden import golden_path_info
from platctl.doctor.model import Finding, Level, RuleMeta, Severity
from platctl.doctor.repo import RECORD_NAME, Repo

META = RuleMeta(
    code="GP002",
    slug="golden-path-record-valid",
    title="The golden-path record is valid",
    severity=Severity.ERROR,
    level=Level.BRONZE,
    rationale="A record platctl cannot read blocks upgrades, drift checks and `doctor --fix`.",
    example="golden_path: python-service",
    fix_example="golden_path:\n  name: python-service\n  source: bundled:python-service\n  version: 1.0.0\nanswers: {...}",
)


def check(repo: Repo, options: Mapping[str, Any]) -> Iterator[Finding]:
    documents = repo.yaml(RECORD_NAME) if repo.exists(RECORD_NAME) else None
    if documents is None:
        return
    record = documents[0] if documents else None
    if not isinstance(record, dict):
        yield META.finding("record is not a mapping with golden_path and answers", RECORD_NAME, 1)
        return
    problem = _problem(record)
    if problem:
        yield META.finding(problem, RECORD_NAME, int(getattr(record, "line_of")("golden_path")) or 1)


def _problem(record: dict[str, Any]) -> str | None:
    section = record.get("golden_path")
    if not isinstance(section, dict):
        return "golden_path must be a mapping with name, source and version"
    missing = [key for key in ("name", "source", "version") if not section.get(key)]
    if missing:
        return f"golden_path has no {', '.join(missing)}"
    if not isinstance(record.get("answers", {}), dict):
        return "answers must be a mapping"
    if str(section["source"]).startswith("bundled:") and golden_path_info(str(section["source"])) is None:
        return f"golden path {section['source']} is not bundled with this platctl"
    return None
