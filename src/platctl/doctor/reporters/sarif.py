"""SARIF 2.1.0 for GitHub code scanning (``github/codeql-action/upload-sarif``).

Each rule says how often it is right (``precision``); only security rules get a
``security-severity`` (so code scanning lists them as security alerts and the
rest as quality ones). Every result has its own fingerprint: the same message in
the same file is numbered by its occurrence, so alerts never merge and survive
line moves. A finding about a file that does not exist (one the golden path
says should be there) is no result pointing at a missing file: it is a
notification of the run, tied to its rule.
"""

from __future__ import annotations

import hashlib
import json
from collections import Counter
from typing import Any, TextIO

from platctl.doctor.model import Finding, Report, RuleMeta, Severity

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "note"}
_SECURITY = {Severity.ERROR: "8.0", Severity.WARNING: "5.0", Severity.INFO: "2.0"}


def render(report: Report, out: TextIO) -> None:
    out.write(json.dumps(as_sarif(report), indent=2) + "\n")


def as_sarif(report: Report) -> dict[str, Any]:
    rules = list(report.rules)
    index = {meta.code: i for i, meta in enumerate(rules)}
    located = [f for f in report.findings if not f.missing_file]
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "platctl-doctor",
                "version": report.tool_version,
                "semanticVersion": report.tool_version,
                "rules": [_rule(meta) for meta in rules],
            }},
            "automationDetails": {"id": "platctl-doctor/"},
            "originalUriBaseIds": {"%SRCROOT%": {"description": {"text": "The root of the checked repository."}}},
            "columnKind": "unicodeCodePoints",
            "invocations": [{"executionSuccessful": True, "toolExecutionNotifications": [
                _notification(f, index) for f in report.findings if f.missing_file]}],
            "results": [_result(f, index, print_) for f, print_ in zip(located, _fingerprints(located), strict=False)],
            "properties": {
                "waived": report.waived,
                "suppressed": report.suppressed,
                "maturityLevels": {s.root: s.level for s in report.services},
            },
        }],
    }


def _rule(meta: RuleMeta) -> dict[str, Any]:
    help_text = f"{meta.rationale}\n\nExample:\n{meta.example}\n\nUse instead:\n{meta.fix_example}"
    help_markdown = (f"{meta.rationale}\n\n**Example**\n\n```\n{meta.example}\n```\n\n"
                     f"**Use instead**\n\n```\n{meta.fix_example}\n```")
    properties: dict[str, Any] = {
        "tags": [meta.code.rstrip("0123456789").lower(), meta.level.value] + (["security"] if meta.security else []),
        "precision": meta.precision,
    }
    if meta.security:
        properties["security-severity"] = _SECURITY[meta.severity]
    return {
        "id": meta.code,
        "name": "".join(part.capitalize() for part in meta.slug.split("-")),
        "shortDescription": {"text": meta.title},
        "fullDescription": {"text": meta.rationale},
        "help": {"text": help_text, "markdown": help_markdown},
        "defaultConfiguration": {"level": _LEVEL[meta.severity]},
        "properties": properties,
    }


def _result(finding: Finding, index: dict[str, int], fingerprint: str) -> dict[str, Any]:
    region: dict[str, int] = {"startLine": finding.line or 1}
    if finding.column:
        region["startColumn"] = finding.column
    result: dict[str, Any] = {
        "ruleId": finding.rule,
        "level": _LEVEL[finding.severity],
        "message": {"text": finding.message},
        "locations": [{"physicalLocation": {
            "artifactLocation": {"uri": finding.path, "uriBaseId": "%SRCROOT%"},
            "region": region,
        }}],
        "partialFingerprints": {"platctlFindingHash/v2": fingerprint},
    }
    if finding.rule in index:
        result["ruleIndex"] = index[finding.rule]
    return result


def _notification(finding: Finding, index: dict[str, int]) -> dict[str, Any]:
    """A finding about a missing file: said once for the run, not pinned to a file that is not there."""
    notification: dict[str, Any] = {"level": _LEVEL[finding.severity],
                                    "message": {"text": f"{finding.path}: {finding.message}"},
                                    "associatedRule": {"id": finding.rule}}
    if finding.rule in index:
        notification["associatedRule"]["index"] = index[finding.rule]
    return notification


def _fingerprints(findings: list[Finding]) -> list[str]:
    """Rule, path, message and the occurrence of that triple in the file, hashed: unique and line-free."""
    seen: Counter[tuple[str, str, str]] = Counter()
    prints = []
    for finding in sorted(findings, key=Finding.sort_key):
        key = finding.baseline_key()
        seen[key] += 1
        prints.append((finding, hashlib.sha256("\0".join((*key, str(seen[key]))).encode()).hexdigest()[:32]))
    by_identity = {id(f): p for f, p in prints}
    return [by_identity[id(f)] for f in findings]
