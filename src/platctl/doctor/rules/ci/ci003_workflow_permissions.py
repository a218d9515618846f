"""Checks that every workflow sets least-privilege `permissions`: read-only at the top, or on every job."""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from platctl.doctor.fix import FixDraft, indentation, insert_lines
from platctl.doctor.model import Finding, FixChange, Level, RuleMeta, Severity
from platctl.doctor.repo import Repo
from platctl.doctor.rules.ci._tokens import needs_more_than_read
from platctl.doctor.rules.ci._workflows import Workflow, iter_workflows
from platctl.yamlload import line_of, load_yaml_documents

META = RuleMeta(
    code="CI003",
    slug="workflow-permissions",
    title="Workflows declare read-only top-level permissions",
    severity=Severity.ERROR,
    level=Level.BRONZE,
    fixable=True,
    security=True,
    fix_safety=(
        "Safe: adds `permissions: {contents: read}` at the top level, and only when no job without its own "
        "`permissions:` needs more (an OIDC token, a push, a comment, a release, a SARIF upload): such a "
        "workflow is reported, not fixed. Only the inserted lines change."
    ),
    rationale=(
        "Without a `permissions:` key the GITHUB_TOKEN gets the repository's default, often read-write on "
        "everything. A compromised step then can push code or publish releases. Grant read at the top and "
        "write scopes per job (a workflow whose every job sets its own permissions needs no top-level key)."
    ),
    example="on: [push]\njobs: ...",
    fix_example="on: [push]\npermissions:\n  contents: read\njobs: ...",
)


def check(repo: Repo, options: Mapping[str, Any]) -> Iterator[Finding]:
    for workflow in iter_workflows(repo):
        if "permissions" not in workflow.data:
            yield from _missing(workflow)
            continue
        permissions = workflow.data["permissions"]
        line = workflow.line(None, "permissions")
        if permissions == "write-all":
            yield META.finding("top-level permissions are write-all; grant write scopes per job", workflow.path, line)
        elif isinstance(permissions, dict):
            writes = sorted(str(k) for k, v in permissions.items() if v == "write")
            if writes:
                yield META.finding(f"top-level permissions grant write to {', '.join(writes)}; grant them per job",
                                   workflow.path, line)


def _missing(workflow: Workflow) -> Iterator[Finding]:
    bare = [(job_id, job) for job_id, job in workflow.jobs() if "permissions" not in job]
    if not bare and any(True for _ in workflow.jobs()):
        return  # every job sets its own permissions: the top-level default never applies
    needs = next(((job_id, why) for job_id, job in bare if (why := needs_more_than_read(job))), None)
    if needs is None:
        yield META.finding("workflow has no top-level permissions; add `permissions: {contents: read}`",
                           workflow.path, 1)
        return
    message = (f"workflow has no top-level permissions; job {needs[0]!r} needs more than contents: read "
               f"({needs[1]}): give it its own permissions:, then add `permissions: {{contents: read}}` at the top")
    yield dataclasses.replace(META.finding(message, workflow.path, 1), fixable=False)


def fix(repo: Repo, findings: Sequence[Finding], options: Mapping[str, Any], draft: FixDraft) -> None:
    """Insert ``permissions: {contents: read}`` before ``jobs:`` in each workflow the fix is safe for."""
    for path in sorted({f.path for f in findings if f.fixable and f.path.startswith(".github/workflows/")}):
        draft.edit_text(path, functools.partial(_add_permissions, path=path))


def _add_permissions(text: str, path: str) -> tuple[str, list[FixChange]]:
    documents = load_yaml_documents(text)
    data: Any = documents[0] if documents else None
    if not isinstance(data, dict) or "permissions" in data or "jobs" not in data:
        return text, []
    jobs: Any = data["jobs"]
    jobs_line = line_of(data, "jobs") or 1
    first_job = next(iter(jobs), None) if isinstance(jobs, dict) and jobs else None
    unit = indentation(text, line_of(jobs, first_job) or 1) if first_job is not None else "  "
    if indentation(text, jobs_line) or not unit:
        return text, []  # jobs: is not a plain block key at the top: leave the file to a human
    new = insert_lines(text, jobs_line, ["permissions:", f"{unit}contents: read"])
    return new, [FixChange(path, META.code, "added permissions: {contents: read}")]
