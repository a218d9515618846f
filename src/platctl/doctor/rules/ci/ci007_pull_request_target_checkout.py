"""Checks that privileged triggers (`pull_request_target`, `workflow_run`) never run or trust a fork's code."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from platctl.doctor.model import Finding, Level, RuleMeta, Severity
from platctl.doctor.repo import Repo
from platctl.doctor.rules.ci._workflows import Workflow, iter_steps, iter_workflows

META = RuleMeta(
    code="CI007",
    slug="pull-request-target-checkout",
    title="pull_request_target and workflow_run never check out or trust untrusted code",
    severity=Severity.ERROR,
    level=Level.BRONZE,
    security=True,
    rationale=(
        "`pull_request_target` and `workflow_run` run with the base repository's secrets and a write token. "
        "Checking out the pull request's head (or the head SHA of the run that triggered it) and building it, "
        "or writing a downloaded artifact into `$GITHUB_ENV`, hands both to anyone who opens a pull request "
        "(\"pwn request\")."
    ),
    example="on: pull_request_target\n...\n- uses: actions/checkout@<sha>\n  with:\n    ref: ${{ "
            "github.event.pull_request.head.sha }}",
    fix_example="on: pull_request\n...\n- uses: actions/checkout@<sha>",
)

_UNTRUSTED_REFS = ("github.event.pull_request.head", "github.head_ref", "refs/pull/", "github.event.workflow_run.head",
                   "github.event.workflow_run.pull_requests")
_PRIVILEGED = ("pull_request_target", "workflow_run")
_DOWNLOADS = ("actions/download-artifact", "dawidd6/action-download-artifact")


def check(repo: Repo, options: Mapping[str, Any]) -> Iterator[Finding]:
    for workflow in iter_workflows(repo):
        trigger = next((t for t in _PRIVILEGED if t in workflow.trigger_names()), None)
        if trigger is None:
            continue
        for _, job in workflow.jobs():
            if _only_dependabot(job):
                continue  # the pull request's author is dependabot: no fork can start it
            yield from _untrusted_checkout(workflow, job, trigger)
            yield from _artifact_into_env(workflow, job, trigger)


def _untrusted_checkout(workflow: Workflow, job: dict[str, Any], trigger: str) -> Iterator[Finding]:
    for step in iter_steps(job):
        if not str(step.get("uses", "")).startswith("actions/checkout"):
            continue
        inputs = step.get("with")
        ref = " ".join(str(inputs.get(k, "")) for k in ("ref", "repository")) if isinstance(inputs, dict) else ""
        if any(marker in ref for marker in _UNTRUSTED_REFS):
            key = "ref" if isinstance(inputs, dict) and "ref" in inputs else "repository"
            yield META.finding(f"{trigger} workflow checks out the untrusted head of a pull request",
                               workflow.path, workflow.line(inputs, key))


def _artifact_into_env(workflow: Workflow, job: dict[str, Any], trigger: str) -> Iterator[Finding]:
    downloaded = False
    for step in iter_steps(job):
        uses = str(step.get("uses", ""))
        downloaded = downloaded or uses.startswith(_DOWNLOADS) or "downloadArtifact" in str(step.get("with", ""))
        run = step.get("run")
        if downloaded and isinstance(run, str) and "GITHUB_ENV" in run and ">>" in run:
            yield META.finding(f"{trigger} workflow writes a downloaded artifact's content into $GITHUB_ENV",
                               workflow.path, workflow.line(step, "run"))


def _only_dependabot(job: dict[str, Any]) -> bool:
    """``if:`` on the pull request's author being dependabot (not ``github.actor``, which a fork can make it)."""
    condition = str(job.get("if", ""))
    return "pull_request.user.login" in condition and "'dependabot[bot]'" in condition and "||" not in condition
