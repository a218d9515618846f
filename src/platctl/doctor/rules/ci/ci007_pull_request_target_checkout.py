"""Checks that `pull_request_target` workflows never check out the pull request's code."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from platctl.doctor.model import Finding, Level, RuleMeta, Severity
from platctl.doctor.repo import Repo
from platctl.doctor.rules.ci._workflows import iter_steps, iter_workflows

META = RuleMeta(
    code="CI007",
    slug="pull-request-target-checkout",
    title="pull_request_target never checks out untrusted code",
    severity=Severity.ERROR,
    level=Level.BRONZE,
    rationale=(
        "`pull_request_target` runs with the base repository's secrets and a write token. Checking out the "
        "PR head and running its build scripts hands both to anyone who opens a pull request (\"pwn request\")."
    ),
    example="on: pull_request_target\n...\n- uses: actions/checkout@<sha>\n  with:\n    ref: ${{ github.event.pull_request.head.sha }}",
    fix_example="on: pull_request\n...\n- uses: actions/checkout@<sha>",
)

_UNTRUSTED_REFS = ("github.event.pull_request.head", "github.head_ref", "refs/pull/")


def check(repo: Repo, options: Mapping[str, Any]) -> Iterator[Finding]:
    for workflow in iter_workflows(repo):
        if "pull_request_target" not in workflow.trigger_names():
            continue
        for _, job in workflow.jobs():
            for step in iter_steps(job):
                if not str(step.get("uses", "")).startswith("actions/checkout"):
                    continue
                inputs = step.get("with")
                ref = str(inputs.get("ref", "")) if isinstance(inputs, dict) else ""
                if any(marker in ref for marker in _UNTRUSTED_REFS):
                    yield META.finding("pull_request_target workflow checks out the pull request head",
                                       workflow.path, workflow.line(inputs, "ref"))
