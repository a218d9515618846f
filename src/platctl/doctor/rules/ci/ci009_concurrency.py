"""Checks that pull-request workflows cancel superseded runs with a `concurrency` group."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from platctl.doctor.model import Finding, Level, RuleMeta, Severity
from platctl.doctor.repo import Repo
from platctl.doctor.rules.ci._workflows import iter_workflows

META = RuleMeta(
    code="CI009",
    slug="pull-request-concurrency",
    title="Pull-request workflows cancel superseded runs",
    severity=Severity.INFO,
    level=Level.GOLD,
    rationale="Without a concurrency group every push to a pull request queues another full run: slower feedback, "
              "wasted runners.",
    example="on: [pull_request]\njobs: ...",
    fix_example="on: [pull_request]\nconcurrency:\n  group: ${{ github.workflow }}-${{ github.ref }}\n  "
                "cancel-in-progress: true",
)


def check(repo: Repo, options: Mapping[str, Any]) -> Iterator[Finding]:
    for workflow in iter_workflows(repo):
        if "pull_request" in workflow.trigger_names() and "concurrency" not in workflow.data:
            yield META.finding("pull_request workflow has no concurrency group", workflow.path, 1)
