"""Checks that the workflows together run lint, test and build jobs."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from platctl.doctor.model import Finding, Level, RuleMeta, Severity
from platctl.doctor.repo import Repo
from platctl.doctor.rules.ci._workflows import iter_workflows

META = RuleMeta(
    code="CI006",
    slug="required-jobs",
    title="CI runs lint, test and build jobs",
    severity=Severity.WARNING,
    level=Level.SILVER,
    options=(("jobs", ("lint", "test", "build")),),
    rationale="A pipeline without a lint, test or build stage lets that class of breakage reach main unnoticed.",
    example="jobs:\n  deploy: ...",
    fix_example="jobs:\n  lint: ...\n  test: ...\n  build: ...\n  deploy: ...",
)


def check(repo: Repo, options: Mapping[str, Any]) -> Iterator[Finding]:
    workflows = list(iter_workflows(repo))
    if not workflows:
        return
    names = {_job_name(job_id, job) for workflow in workflows for job_id, job in workflow.jobs()}
    wanted = [str(j) for j in options.get("jobs", ())]
    missing = [job for job in wanted if not any(job in name for name in names)]
    if missing:
        target = next((w for w in workflows if w.path.rsplit("/", 1)[-1].startswith("ci.")), workflows[0])
        yield META.finding(f"no {', '.join(missing)} job in any workflow", target.path, 1)


def _job_name(job_id: str, job: dict[str, Any]) -> str:
    return f"{job_id} {job.get('name', '')}".lower()
