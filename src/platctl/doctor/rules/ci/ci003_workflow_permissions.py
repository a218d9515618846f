"""Checks that every workflow sets least-privilege top-level `permissions` (read-only by default)."""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from platctl.doctor.fix import FixDraft, index_after
from platctl.doctor.model import Finding, FixChange, Level, RuleMeta, Severity
from platctl.doctor.repo import Repo
from platctl.doctor.rules.ci._workflows import iter_workflows

META = RuleMeta(
    code="CI003",
    slug="workflow-permissions",
    title="Workflows declare read-only top-level permissions",
    severity=Severity.ERROR,
    level=Level.BRONZE,
    fixable=True,
    fix_safety="Safe: adds `permissions: {contents: read}` at the top level; jobs that need more must grant it per job.",
    rationale=(
        "Without a `permissions:` key the GITHUB_TOKEN gets the repository's default, often read-write on "
        "everything. A compromised step then can push code or publish releases. Grant read at the top and "
        "write scopes per job."
    ),
    example="on: [push]\njobs: ...",
    fix_example="on: [push]\npermissions:\n  contents: read\njobs: ...",
)


def check(repo: Repo, options: Mapping[str, Any]) -> Iterator[Finding]:
    for workflow in iter_workflows(repo):
        if "permissions" not in workflow.data:
            yield META.finding("workflow has no top-level permissions; add `permissions: {contents: read}`",
                               workflow.path, 1)
            continue
        permissions = workflow.data["permissions"]
        line = workflow.line(None, "permissions")
        if permissions in ("write-all", "read-all") and permissions == "write-all":
            yield META.finding("top-level permissions are write-all; grant write scopes per job", workflow.path, line)
        elif isinstance(permissions, dict):
            writes = sorted(str(k) for k, v in permissions.items() if v == "write")
            if writes:
                yield META.finding(f"top-level permissions grant write to {', '.join(writes)}; grant them per job",
                                   workflow.path, line)


def fix(repo: Repo, findings: Sequence[Finding], options: Mapping[str, Any], draft: FixDraft) -> None:
    """Add ``permissions: {contents: read}`` after ``on:`` to each workflow that has no top-level permissions."""
    for path in sorted({f.path for f in findings if f.path.startswith(".github/workflows/")}):
        draft.edit_yaml(path, functools.partial(_add_permissions, path=path))


def _add_permissions(data: Any, path: str) -> list[FixChange]:
    if not hasattr(data, "insert") or "permissions" in data:
        return []
    data.insert(index_after(data, ("on", True, "name")), "permissions", {"contents": "read"})
    return [FixChange(path, META.code, "added permissions: {contents: read}")]
