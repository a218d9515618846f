"""Checks that the platform-owned files still match a fresh render of the recorded golden path.

Off by default: it renders the golden path (a few tenths of a second), so
doctor stays a fast lint step. Rendering a template can run code, so only
`--extend-select GP005` or the org policy can turn it on, never the
repository's own `doctor:` section, and it renders only a bundled golden path
at a shipped release or a source in your `trusted_sources`; any other record
is reported as not rendered.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

from platctl.doctor.model import Finding, Level, RuleMeta, Severity
from platctl.doctor.repo import Repo
from platctl.scaffold.record import RECORD_NAME

META = RuleMeta(
    code="GP005",
    slug="managed-file-drift",
    title="Platform-owned files match the recorded golden path",
    severity=Severity.WARNING,
    level=Level.GOLD,
    rationale="A platform-owned file edited by hand drifts from what the platform keeps in sync: the next upgrade must "
              "merge it, and fixes to it no longer land cleanly.",
    example="# terraform/versions.tf edited by hand after `platctl new`",
    fix_example="platctl diff        # see the drift\ngit checkout -- FILE   # or move the change into the golden path",
    golden_paths=("*",),
    default_enabled=False,
    renders=True,
)

HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)", re.MULTILINE)


def check(repo: Repo, options: Mapping[str, Any]) -> Iterator[Finding]:
    from platctl.doctor.render_gate import render_refusal
    from platctl.errors import PlatctlError
    from platctl.scaffold.drift import compute_drift

    if not repo.exists(RECORD_NAME):
        return
    refusal = render_refusal((repo.record or {}).get("golden_path"))
    if refusal is not None:
        yield META.finding(f"not rendered: {refusal}", RECORD_NAME, 1)
        return
    try:
        report = compute_drift(repo.root, offline=True)
    except PlatctlError as error:
        yield META.finding(f"could not render the recorded golden path: {error}", RECORD_NAME, 1)
        return
    for drift in report.files:
        if drift.ownership != "managed":
            continue
        if drift.status == "missing":
            yield META.finding(f"platform-owned file is missing; {report.golden_path} {report.version} renders it",
                               drift.path, None)
            continue
        yield META.finding(
            f"differs from {report.golden_path} {report.version} (+{drift.added} -{drift.removed}); `platctl diff` "
            "shows how",
            drift.path, first_changed_line(drift.diff),
        )


def first_changed_line(diff: str) -> int | None:
    """The line of the service's file where the first difference is (a removal points at the line after)."""
    hunk = HUNK.search(diff)
    if hunk is None:
        return None
    line = int(hunk[1])
    for text in diff[hunk.end():].splitlines()[1:]:
        if text.startswith(("+", "-")):
            return max(line, 1)
        line += 1
    return None
