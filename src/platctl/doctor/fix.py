"""``doctor --fix``: safe fixes only, each reported as a FixChange.

Every change is worked out first and then written through ``platctl.safewrite``,
so a failure or a kill leaves the repo as it was or completely fixed.

* A platform-owned file the golden path renders but the repo lacks is restored
  byte for byte from a fresh render of the recorded golden path and answers.
* A workflow without top-level ``permissions`` gets ``permissions: {contents: read}``.
* A job without ``timeout-minutes`` gets one (``CI004`` option ``minutes``, default 30).

YAML is edited with ruamel.yaml's round-trip mode, so comments, key order and
quoting survive. Only files named by a finding are touched.
"""

from __future__ import annotations

import io
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from platctl.doctor.model import Finding, FixChange
from platctl.safewrite import check_no_symlink_components, replace_files
from platctl.scaffold.record import RECORD_NAME

RESTORABLE_RULES = frozenset({"OWN001", "OWN003", "CI015"})
DEFAULT_TIMEOUT_MINUTES = 30


def apply_fixes(service_root: Path, findings: Sequence[Finding], timeout_minutes: int = DEFAULT_TIMEOUT_MINUTES
                ) -> list[FixChange]:
    """Work out every fix first, then write them all through ``platctl.safewrite``: all of them, or none."""
    contents: dict[str, bytes] = {}
    changes = _restore_files(service_root, [f for f in findings if f.rule in RESTORABLE_RULES], contents)
    by_workflow: dict[str, set[str]] = {}
    for finding in findings:
        if finding.rule in ("CI003", "CI004") and finding.fixable and finding.path.startswith(".github/workflows/"):
            by_workflow.setdefault(finding.path, set()).add(finding.rule)
    for path, rules in sorted(by_workflow.items()):
        text, workflow_changes = fixed_workflow(check_no_symlink_components(service_root, path).read_text(
            encoding="utf-8"), path, rules, timeout_minutes)
        if workflow_changes:
            contents[path] = text.encode("utf-8")
            changes.extend(workflow_changes)
    if contents:
        replace_files(service_root, contents)
    return changes


def _restore_files(service_root: Path, findings: list[Finding], contents: dict[str, bytes]) -> list[FixChange]:
    """Platform files the repo lacks, as a fresh render of its recorded golden path has them."""
    missing = sorted({f.path: f.rule for f in findings
                      if not os.path.lexists(check_no_symlink_components(service_root, f.path))}.items())
    if not missing or not (service_root / RECORD_NAME).is_file():
        return []
    from platctl.doctor.render_gate import render_refusal
    from platctl.scaffold.api import render_from_record
    from platctl.scaffold.record import read_record

    record = read_record(service_root)
    if render_refusal({"source": record.source, "version": record.version, "commit": record.commit}):
        return []  # the repository chose a template doctor may not render: the findings stay, unfixed
    changes = []
    with render_from_record(service_root) as rendered:
        for path, rule in missing:
            source = rendered / path
            if source.is_file() and not source.is_symlink():
                contents[path] = source.read_bytes()
                changes.append(FixChange(path, rule, "restored from the golden path"))
    return changes


def fixed_workflow(text: str, path: str, rules: set[str], timeout_minutes: int) -> tuple[str, list[FixChange]]:
    """The workflow with the fixes for ``rules`` applied (round-trip: comments, order and quotes kept)."""
    from ruamel.yaml import YAML

    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=_sequence_indent(text), offset=2)
    data = yaml.load(text)
    changes: list[FixChange] = []
    if "CI003" in rules and "permissions" not in data:
        data.insert(_index_after(data, ("on", True, "name")), "permissions", {"contents": "read"})
        changes.append(FixChange(path, "CI003", "added permissions: {contents: read}"))
    if "CI004" in rules:
        changes.extend(_add_timeouts(data, path, timeout_minutes))
    if not changes:
        return text, []
    buffer = io.StringIO()
    yaml.dump(data, buffer)
    return buffer.getvalue(), changes


def _add_timeouts(data: Any, path: str, minutes: int) -> list[FixChange]:
    changes = []
    jobs = data.get("jobs") or {}
    for job_id, job in jobs.items():
        if hasattr(job, "insert") and "timeout-minutes" not in job and "uses" not in job:
            job.insert(_index_after(job, ("runs-on", "needs", "name")), "timeout-minutes", minutes)
            changes.append(FixChange(path, "CI004", f"added timeout-minutes: {minutes} to job {job_id}"))
    return changes


def _index_after(mapping: Any, keys: tuple[Any, ...]) -> int:
    order = list(mapping.keys())
    for key in keys:
        if key in order:
            return order.index(key) + 1
    return 0


def _sequence_indent(text: str) -> int:
    """4 when block sequences are indented under their key (``steps:\\n  - run``), else 2."""
    lines = text.splitlines()
    for previous, line in zip(lines, lines[1:]):
        if previous.rstrip().endswith(":") and line.lstrip().startswith("- "):
            return 2 + (len(line) - len(line.lstrip())) - (len(previous) - len(previous.lstrip()))
    return 4
