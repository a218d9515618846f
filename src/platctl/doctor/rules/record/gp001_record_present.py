"""Checks that the service records its golden path in `.platctl.yaml` (reported once per repository)."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from platctl.doctor.model import Finding, Level, RuleMeta, Severity
from platctl.doctor.repo import Repo
from platctl.scaffold.record import RECORD_NAME

META = RuleMeta(
    code="GP001",
    slug="golden-path-record-present",
    title="The golden-path record .platctl.yaml is present",
    severity=Severity.WARNING,
    level=Level.SILVER,
    rationale="Without the record platctl cannot tell which golden path and version the service follows, so it cannot "
              "upgrade it or restore platform files.",
    example="(no .platctl.yaml)",
    fix_example="golden_path:\n  name: python-service\n  source: bundled:python-service\n  version: 1.0.0\nanswers:\n  "
                "service_name: payments-api",
)


def check(repo: Repo, options: Mapping[str, Any]) -> Iterator[Finding]:
    if not repo.exists(RECORD_NAME) and not options.get("nested_records"):
        yield META.finding("no .platctl.yaml: not made from a golden path (see `platctl adopt`)", RECORD_NAME, None)
