"""SARIF 2.1.0 for GitHub code scanning (``github/codeql-action/upload-sarif``)."""

from __future__ import annotations

import hashlib
import json
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
            "columnKind": "unicodeCodePoints",
            "results": [_result(f, index) for f in report.findings],
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
    return {
        "id": meta.code,
        "name": "".join(part.capitalize() for part in meta.slug.split("-")),
        "shortDescription": {"text": meta.title},
        "fullDescription": {"text": meta.rationale},
        "help": {"text": help_text, "markdown": help_markdown},
        "defaultConfiguration": {"level": _LEVEL[meta.severity]},
        "properties": {
            "tags": [meta.code.rstrip("0123456789").lower(), meta.level.value],
            "precision": "high",
            "security-severity": _SECURITY[meta.severity],
        },
    }


def _result(finding: Finding, index: dict[str, int]) -> dict[str, Any]:
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
        "partialFingerprints": {"platctlFindingHash/v1": _fingerprint(finding)},
    }
    if finding.rule in index:
        result["ruleIndex"] = index[finding.rule]
    return result


def _fingerprint(finding: Finding) -> str:
    return hashlib.sha256("\0".join(finding.baseline_key()).encode()).hexdigest()[:32]
