"""Checks that every job sets `timeout-minutes`."""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from platctl.doctor.fix import FixDraft, index_after
from platctl.doctor.model import Finding, FixChange, Level, RuleMeta, Severity
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


def fix(repo: Repo, findings: Sequence[Finding], options: Mapping[str, Any], draft: FixDraft) -> None:
    """Add ``timeout-minutes`` (option ``minutes``) to every job of the workflows that lack one."""
    minutes = int(options.get("minutes", 30))
    for path in sorted({f.path for f in findings if f.path.startswith(".github/workflows/")}):
        draft.edit_yaml(path, functools.partial(_add_timeouts, path=path, minutes=minutes))


def _add_timeouts(data: Any, path: str, minutes: int) -> list[FixChange]:
    changes = []
    jobs = data.get("jobs") if hasattr(data, "get") else None
    for job_id, job in (jobs or {}).items():
        if hasattr(job, "insert") and "timeout-minutes" not in job and "uses" not in job:
            job.insert(index_after(job, ("runs-on", "needs", "name")), "timeout-minutes", minutes)
            changes.append(FixChange(path, META.code, f"added timeout-minutes: {minutes} to job {job_id}"))
    return changes
