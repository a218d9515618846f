"""Checks that every `uses:` of an action or reusable workflow pins a full 40-character commit SHA, and every
`docker://` image a digest."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from platctl.doctor.model import Finding, Level, RuleMeta, Severity
from platctl.doctor.repo import Repo
from platctl.doctor.rules.ci._workflows import Workflow, iter_steps, iter_workflows

META = RuleMeta(
    code="CI002",
    slug="actions-pinned",
    title="Actions are pinned to full commit SHAs",
    severity=Severity.ERROR,
    level=Level.BRONZE,
    security=True,
    rationale=(
        "Tags and branches are mutable: whoever controls the action's repository can move `v4` to new code "
        "that runs with your workflow's token and secrets (as in the tj-actions/changed-files compromise). "
        "A 40-character commit SHA is the only immutable reference."
    ),
    example="- uses: actions/checkout@v4",
    fix_example="- uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683  # v4.2.2",
)

_SHA = re.compile(r"^[0-9a-f]{40}$")


def check(repo: Repo, options: Mapping[str, Any]) -> Iterator[Finding]:
    for workflow in iter_workflows(repo):
        for _, job in workflow.jobs():
            yield from _check_uses(workflow, job, job.get("uses"))
            for step in iter_steps(job):
                yield from _check_uses(workflow, step, step.get("uses"))


def _check_uses(workflow: Workflow, node: Any, uses: Any) -> Iterator[Finding]:
    if not isinstance(uses, str) or uses.startswith("./"):
        return
    if uses.startswith("docker://"):
        if "@sha256:" not in uses:
            yield META.finding(
                f"{uses} is a container image without a @sha256: digest", workflow.path, workflow.line(node, "uses")
            )
        return
    name, _, ref = uses.partition("@")
    if not _SHA.match(ref):
        pinned = f"is pinned to {ref!r}" if ref else "has no ref"
        yield META.finding(
            f"{name} {pinned}, not a 40-character commit SHA", workflow.path, workflow.line(node, "uses")
        )
