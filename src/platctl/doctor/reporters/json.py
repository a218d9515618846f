"""Machine-readable JSON, versioned by ``schema_version`` (schema: ``report.schema.json`` beside this module)."""

from __future__ import annotations

import json
from typing import Any, TextIO

from platctl.doctor.model import Finding, Report, ServiceReport, Severity

SCHEMA_VERSION = 1


def render(report: Report, out: TextIO) -> None:
    out.write(json.dumps(as_dict(report), indent=2) + "\n")


def as_dict(report: Report) -> dict[str, Any]:
    return {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "platctl doctor", "version": report.tool_version},
        "summary": {
            "findings": len(report.findings),
            "errors": report.count(Severity.ERROR),
            "warnings": report.count(Severity.WARNING),
            "info": report.count(Severity.INFO),
            "waived": report.waived,
            "suppressed": report.suppressed,
            "baselined": sum(s.baselined for s in report.services),
            "skipped": sum(len(s.skips) for s in report.services),
        },
        "services": [_service(s, report) for s in report.services],
        "fixes": [{"path": c.path, "rule": c.rule, "description": c.description} for c in report.fixes],
    }


def _service(service: ServiceReport, report: Report) -> dict[str, Any]:
    return {
        "root": service.root,
        "name": service.name,
        "golden_path": service.golden_path,
        "golden_path_version": service.golden_path_version,
        "level": service.level,
        "waived": service.waived,
        "suppressed": service.suppressed,
        "baselined": service.baselined,
        "findings": [finding_dict(f, report) for f in service.findings],
        "skipped": [{"path": s.path, "reason": s.reason} for s in service.skips],
    }


def finding_dict(finding: Finding, report: Report) -> dict[str, Any]:
    meta = report.rule(finding.rule)
    return {
        "rule": finding.rule,
        "slug": meta.slug if meta else finding.rule.lower(),
        "severity": finding.severity.value,
        "message": finding.message,
        "path": finding.path,
        "line": finding.line,
        "column": finding.column,
        "fixable": finding.fixable,
    }
