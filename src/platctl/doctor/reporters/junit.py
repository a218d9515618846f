"""JUnit XML: one test case per rule and file; a failure carries each finding's message."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import TextIO

from platctl.doctor.model import Finding, Report
from platctl.doctor.reporters._common import location


def render(report: Report, out: TextIO) -> None:
    suites = ET.Element("testsuites", name="platctl doctor")
    for service in report.services:
        suite = _suite(service.root, service.findings, service.rules_run, report)
        properties = ET.Element("properties")
        for name, value in (("maturity_level", service.level), ("waived", service.waived),
                            ("suppressed", service.suppressed), ("baselined", service.baselined)):
            ET.SubElement(properties, "property", name=name, value=str(value))
        suite.insert(0, properties)
        suites.append(suite)
    ET.indent(suites)
    out.write(ET.tostring(suites, encoding="unicode", xml_declaration=True) + "\n")


def _suite(root: str, findings: tuple[Finding, ...], rules_run: tuple[str, ...], report: Report) -> ET.Element:
    groups: dict[tuple[str, str], list[Finding]] = {}
    for finding in findings:
        groups.setdefault((finding.rule, finding.path), []).append(finding)
    suite = ET.Element("testsuite", name=f"platctl doctor: {root}")
    for (rule, path), group in sorted(groups.items()):
        case = ET.SubElement(suite, "testcase", classname=rule, name=f"{rule} {path}", file=path)
        failure = ET.SubElement(case, "failure", message=group[0].message, type=group[0].severity.value)
        failure.text = "\n".join(f"{location(f)}: {f.severity.value}: {f.message}" for f in group)
    failing_rules = {rule for rule, _ in groups}
    for code in rules_run:
        if code not in failing_rules:
            meta = report.rule(code)
            ET.SubElement(suite, "testcase", classname=code, name=f"{code} {meta.title if meta else ''}".strip())
    suite.set("tests", str(len(suite)))
    suite.set("failures", str(len(groups)))
    suite.set("errors", "0")
    return suite
