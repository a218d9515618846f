"""Each reporter's output is valid for whoever reads it: SARIF for GitHub, JUnit XML, the documented JSON schema."""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from io import StringIO
from pathlib import Path

import pytest
from doctor_support import GOOD, SHA, WORKFLOW, check, mutated, write_repo

from platctl.doctor.model import Report
from platctl.doctor.reporters import REPORTER_NAMES, get_reporter

SCHEMA = Path(__file__).resolve().parents[2] / "src/platctl/doctor/reporters/report.schema.json"


@pytest.fixture
def report(tmp_path: Path) -> Report:
    broken = WORKFLOW.replace(f"@{SHA}  # v4.2.2", "@v4").replace("permissions:\n  contents: read\n", "")
    files = mutated(
        {".github/workflows/ci.yml": broken, "CODEOWNERS": None, ".github/workflows/odd, name:%.yml": "a: [\n"}
    )
    return check(write_repo(tmp_path, files))


def render(name: str, report: Report) -> str:
    out = StringIO()
    get_reporter(name)(report, out)
    return out.getvalue()


def test_json_matches_its_documented_schema(report: Report) -> None:
    import jsonschema

    data = json.loads(render("json", report))
    jsonschema.validate(data, json.loads(SCHEMA.read_text()))
    assert data["schema_version"] == 1
    first = data["services"][0]["findings"][0]
    assert set(first) == {"rule", "slug", "severity", "message", "path", "line", "column", "fixable"}


def test_sarif_has_every_property_github_code_scanning_requires(report: Report) -> None:
    sarif = json.loads(render("sarif", report))
    assert sarif["version"] == "2.1.0" and sarif["$schema"].endswith("sarif-2.1.0.json")
    run = sarif["runs"][0]
    driver = run["tool"]["driver"]
    assert driver["name"] and driver["version"]
    rule_ids = [rule["id"] for rule in driver["rules"]]
    assert len(rule_ids) == len(set(rule_ids))
    for rule in driver["rules"]:
        assert rule["shortDescription"]["text"] and rule["help"]["text"] and rule["fullDescription"]["text"]
        assert rule["defaultConfiguration"]["level"] in ("error", "warning", "note")
        assert rule["properties"]["precision"] in ("very-high", "high", "medium", "low")
        security = "security" in rule["properties"]["tags"]  # a security-severity only where it is a security rule
        assert ("security-severity" in rule["properties"]) is security
        assert not security or float(rule["properties"]["security-severity"]) > 0
    assert run["results"], "the broken repository must produce results"
    for result in run["results"]:
        assert result["ruleId"] in rule_ids and rule_ids[result["ruleIndex"]] == result["ruleId"]
        assert result["message"]["text"] and result["level"] in ("error", "warning", "note")
        location = result["locations"][0]["physicalLocation"]
        assert location["artifactLocation"]["uri"] and not location["artifactLocation"]["uri"].startswith("/")
        assert location["region"]["startLine"] >= 1
        assert result["partialFingerprints"]


def test_sarif_is_valid_against_a_structural_schema(report: Report) -> None:
    """No installable package ships the SARIF 2.1.0 schema offline; this checks the subset GitHub enforces."""
    import jsonschema

    location = {
        "type": "object",
        "required": ["physicalLocation"],
        "properties": {
            "physicalLocation": {
                "type": "object",
                "required": ["artifactLocation"],
                "properties": {
                    "artifactLocation": {"type": "object", "required": ["uri"]},
                    "region": {
                        "type": "object",
                        "properties": {
                            "startLine": {"type": "integer", "minimum": 1},
                            "startColumn": {"type": "integer", "minimum": 1},
                        },
                    },
                },
            }
        },
    }
    schema = {
        "type": "object",
        "required": ["version", "runs"],
        "properties": {
            "version": {"const": "2.1.0"},
            "runs": {
                "type": "array",
                "minItems": 1,
                "items": {
                    "type": "object",
                    "required": ["tool", "results"],
                    "properties": {
                        "tool": {
                            "type": "object",
                            "required": ["driver"],
                            "properties": {"driver": {"type": "object", "required": ["name", "rules"]}},
                        },
                        "results": {
                            "type": "array",
                            "items": {
                                "type": "object",
                                "required": ["ruleId", "message", "locations"],
                                "properties": {
                                    "message": {"type": "object", "required": ["text"]},
                                    "locations": {"type": "array", "minItems": 1, "items": location},
                                },
                            },
                        },
                    },
                },
            },
        },
    }
    jsonschema.validate(json.loads(render("sarif", report)), schema)


def test_junit_parses_with_one_case_per_rule_and_file(report: Report) -> None:
    root = ET.fromstring(render("junit", report))
    cases = root.findall(".//testcase")
    failed = [c for c in cases if c.find("failure") is not None]
    pairs = {(f.rule, f.path) for f in report.findings}
    assert len(failed) == len(pairs)
    assert any(c.get("name") == "CI002 .github/workflows/ci.yml" for c in failed)
    assert all(c.find("failure").get("message") for c in failed)  # type: ignore[union-attr]
    assert len(cases) > len(failed), "passing rules are test cases too"


def test_github_annotations_escape_properties(report: Report) -> None:
    lines = render("github", report).splitlines()
    assert any(
        line.startswith("::error file=.github/workflows/ci.yml,line=") and "title=CI002::" in line for line in lines
    )
    assert any("file=.github/workflows/odd%2C name%3A%25.yml" in line for line in lines)


@pytest.mark.parametrize("name", ["text", "markdown", "json", "sarif", "junit"])
def test_level_and_waivers_are_shown(name: str, report: Report) -> None:
    output = render(name, report)
    assert "waived" in output and ("level" in output.lower())


def test_text_is_plain_in_a_pipe(report: Report) -> None:
    output = render("text", report)
    assert "\x1b[" not in output
    assert ".github/workflows/ci.yml\n" in output and "CI002" in output


def test_every_reporter_handles_a_clean_report(tmp_path: Path) -> None:
    clean = check(write_repo(tmp_path, GOOD))
    for name in REPORTER_NAMES:
        assert render(name, clean)


@pytest.mark.parametrize(("recorded", "expected"), [("2.0.0", "2.0.0"), ("'1.1.0'", "1.1.0"), ("[1, 2]", None),
                                                    ("\"2.0.0\\n- injected\"", None), ("1", None)])
def test_json_carries_the_recorded_version_when_it_is_one(tmp_path: Path, recorded: str, expected: str | None) -> None:
    """Fleet ingest reads the version from here; the record is the repository's say, so only a version passes."""
    from platctl.doctor.api import run_doctor

    (tmp_path / ".platctl.yaml").write_text(
        f"golden_path:\n  name: python-service\n  source: bundled:python-service\n  version: {recorded}\n"
        "answers:\n  service_name: svc\n")
    report = run_doctor([tmp_path])
    out = StringIO()
    get_reporter("json")(report, out)
    assert json.loads(out.getvalue())["services"][0]["golden_path_version"] == expected


def test_the_summary_names_files_only_when_there_are_findings(tmp_path: Path) -> None:
    from platctl.doctor.model import Finding, Report, ServiceReport, Severity
    from platctl.doctor.reporters._common import summary_line

    clean = Report((ServiceReport(".", "svc", None, ()),), ())
    assert summary_line(clean) == "0 errors, 0 warnings, 0 info; 0 waived, 0 suppressed inline"
    one = Report((ServiceReport(".", "svc", None, (Finding("CI002", Severity.ERROR, "m", "a.yml", 1),)),), ())
    assert summary_line(one) == "1 error, 0 warnings, 0 info in 1 file; 0 waived, 0 suppressed inline"
