"""Checks that every job sets `timeout-minutes`."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from platctl.doctor.model import Finding, Level, RuleMeta, Severity
from platctl.doctor.repo import Repo
from platctl.doctor.rules.ci._workflows import iter_workflows

META = RuleMeta(
    code="CI004",
    slug="job-timeout",
    title="Every job sets timeout-minutes",
    severity=Severity.ERROR,
    level=Level.SILVER,
    fixable=True,
    fix_safety="Safe: adds `timeout-minutes` (default 30, option `minutes`) to jobs that have none.",
    options=(("minutes", 30),),
    rationale="The default job timeout is 360 minutes: a hung job burns runner time for six hours and blocks merges.",
    example="jobs:\n  test:\n    runs-on: ubuntu-24.04",
    fix_example="jobs:\n  test:\n    runs-on: ubuntu-24.04\n    timeout-minutes: 15",
)


def check(repo: Repo, options: Mapping[str, Any]) -> Iterator[Finding]:
    for workflow in iter_workflows(repo):
        jobs = workflow.data.get("jobs")
        for job_id, job in workflow.jobs():
            if "uses" in job or "timeout-minutes" in job:
                continue
            yield META.finding(f"job {job_id!r} has no timeout-minutes (the default is 360)",
                               workflow.path, workflow.line(jobs, job_id))
