"""Checks that every job sets `timeout-minutes`."""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from platctl.doctor.fix import FixDraft, indentation, insert_lines
from platctl.doctor.model import Finding, FixChange, Level, RuleMeta, Severity
from platctl.doctor.repo import Repo
from platctl.doctor.rules.ci._workflows import iter_workflows
from platctl.yamlload import load_yaml_documents

META = RuleMeta(
    code="CI004",
    slug="job-timeout",
    title="Every job sets timeout-minutes",
    severity=Severity.ERROR,
    level=Level.SILVER,
    fixable=True,
    fix_safety="Safe: adds `timeout-minutes` (default 30, option `minutes`; never less than the job's step timeouts "
               "added up) to jobs that have none. Only the inserted lines change.",
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
    """Insert ``timeout-minutes`` (option ``minutes``, or the sum of the job's step timeouts when longer)."""
    minutes = int(options.get("minutes", 30))
    for path in sorted({f.path for f in findings if f.path.startswith(".github/workflows/")}):
        draft.edit_text(path, functools.partial(_add_timeouts, path=path, minutes=minutes))


def _add_timeouts(text: str, path: str, minutes: int) -> tuple[str, list[FixChange]]:
    documents = load_yaml_documents(text)
    data = documents[0] if documents else None
    jobs: Any = data.get("jobs") if isinstance(data, dict) else None
    inserts: list[tuple[int, str, str, int]] = []
    for job_id, job in jobs.items() if isinstance(jobs, dict) else ():
        if isinstance(job, dict) and job and "timeout-minutes" not in job and "uses" not in job:
            line = _insert_line(job)
            if line > jobs.line_of(job_id):  # a block mapping: the job's keys sit on their own lines
                inserts.append((line, indentation(text, line), str(job_id), max(minutes, _steps_total(job))))
    changes = []
    for line, indent, job_id, job_minutes in sorted(inserts, reverse=True):  # bottom up: earlier lines stay put
        text = insert_lines(text, line, [f"{indent}timeout-minutes: {job_minutes}"])
        changes.append(FixChange(path, META.code, f"added timeout-minutes: {job_minutes} to job {job_id}"))
    return text, changes[::-1]


def _insert_line(job: Any) -> int:
    """Before the key that follows ``runs-on`` (else before the job's first key)."""
    keys = list(job)
    after = keys.index("runs-on") + 1 if "runs-on" in keys and keys.index("runs-on") + 1 < len(keys) else 0
    return int(job.line_of(keys[after]))


def _steps_total(job: dict[str, Any]) -> int:
    """The job's step timeouts added up: a job timeout shorter than that would cut a step the job allows."""
    steps = job.get("steps")
    if not isinstance(steps, list):
        return 0
    timeouts = [s.get("timeout-minutes") for s in steps if isinstance(s, dict)]
    return sum(t for t in timeouts if isinstance(t, int))
