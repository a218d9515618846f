"""Checks that CI runs lint, test and build jobs: the GitHub workflows together, a GitLab pipeline, a Jenkinsfile."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from platctl.doctor.model import Finding, Level, RuleMeta, Severity
from platctl.doctor.repo import Repo
from platctl.doctor.rules.ci._gitlab import GITLAB_CI, gitlab_jobs, gitlab_pipeline
from platctl.doctor.rules.ci._jenkins import jenkinsfiles, pipeline_start, stage_names
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
    wanted = [str(j) for j in options.get("jobs", ())]
    workflows = list(iter_workflows(repo))
    if workflows:
        names = {_job_name(job_id, job) for workflow in workflows for job_id, job in workflow.jobs()}
        target = next((w for w in workflows if w.path.rsplit("/", 1)[-1].startswith("ci.")), workflows[0])
        yield from _missing(wanted, names, target.path, "job in any workflow")
    pipeline = gitlab_pipeline(repo)
    if pipeline is not None:
        names = {f"{name} {job.get('stage', '')}".lower() for name, job in gitlab_jobs(pipeline)}
        yield from _missing(wanted, names, GITLAB_CI, "job or stage in the GitLab pipeline")
    for path in jenkinsfiles(repo):
        text = repo.text(path)
        if text and pipeline_start(text) is not None:
            yield from _missing(wanted, {s.lower() for s in stage_names(text)}, path, "stage in the Jenkins pipeline")


def _missing(wanted: list[str], names: set[str], path: str, where: str) -> Iterator[Finding]:
    missing = [job for job in wanted if not any(job in name for name in names)]
    if missing:
        yield META.finding(f"no {', '.join(missing)} {where}", path, 1)


def _job_name(job_id: str, job: dict[str, Any]) -> str:
    return f"{job_id} {job.get('name', '')}".lower()
