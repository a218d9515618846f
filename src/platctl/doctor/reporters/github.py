"""GitHub Actions workflow commands: annotations on the pull request diff."""

from __future__ import annotations

from typing import TextIO

from platctl.doctor.model import Finding, Report, Severity
from platctl.doctor.reporters._common import summary_line

_COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def render(report: Report, out: TextIO) -> None:
    for finding in report.findings:
        out.write(command(finding) + "\n")
    out.write(f"platctl doctor: {summary_line(report)}\n")


def command(finding: Finding) -> str:
    properties = [f"file={_property(finding.path)}"]
    if finding.line:
        properties.append(f"line={finding.line}")
    if finding.column:
        properties.append(f"col={finding.column}")
    properties.append(f"title={_property(finding.rule)}")
    return f"::{_COMMAND[finding.severity]} {','.join(properties)}::{_data(finding.message)}"


def _data(value: str) -> str:
    return value.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(value: str) -> str:
    return _data(value).replace(":", "%3A").replace(",", "%2C")
