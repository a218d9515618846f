"""Each reporter's whole output for one fixed report, held against a committed reference file.

A change to any reporter (a count hard-coded, a field dropped, an order changed)
shows as a diff here. After an intended change, regenerate the references with
``PLATCTL_UPDATE_REFERENCES=1 python3 -m pytest tests/test_reporter_references.py``
and review the diff before committing it.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from platctl.doctor.model import Finding, FixChange, Report, ServiceReport, Severity, Skip
from platctl.doctor.reporters import REPORTER_NAMES, get_reporter
from platctl.doctor.rules import REGISTRY

REFERENCES = Path(__file__).parent / "fixtures" / "reporters"
CODES = ("CI002", "DOCKER001", "SEC001", "SEC003", "OBS004", "GP003")


def fixed_report() -> Report:
    """Two services, every severity, a fixable finding, one without a line, suppressions, waivers, skips and a fix."""
    api = ServiceReport(
        root="services/api",
        name="api",
        golden_path="python-service 1.1.0",
        golden_path_version="1.1.0",
        findings=(
            Finding("CI002", Severity.ERROR, "action actions/checkout@v4 is not pinned to a commit SHA",
                    "services/api/.github/workflows/ci.yml", 12, 15, fixable=True),
            Finding("DOCKER001", Severity.WARNING, "the image runs as root: add a USER with a numeric UID",
                    "services/api/Dockerfile", 1),
            Finding("GP003", Severity.INFO, "golden path python-service 1.1.0 is behind 2.0.0: \"A < B & 'C'\"",
                    "services/api/.platctl.yaml"),
            Finding("CI002", Severity.ERROR, "action actions/checkout@v4 is not pinned to a commit SHA",
                    "services/api/.github/workflows/ci.yml", 40, 15),
            Finding("SEC003", Severity.WARNING, "SECURITY.md is missing", "services/api/SECURITY.md",
                    missing_file=True),
        ),
        suppressed=2,
        waived=1,
        baselined=3,
        skips=(Skip("services/api/logo.png", "binary"),),
        level="bronze",
        rules_run=CODES,
    )
    web = ServiceReport(
        root="services/web",
        name="web",
        golden_path=None,
        findings=(
            Finding("SEC001", Severity.ERROR, "a private key is committed", "services/web/keys/id_rsa", 1),
            Finding("OBS004", Severity.WARNING, "alert HighErrorRate has no runbook_url",
                    "services/web/deploy/alerts.yaml", 40, 9),
        ),
        level="none",
        rules_run=CODES,
    )
    rules = tuple(rule.meta for rule in REGISTRY if rule.meta.code in CODES)
    fixes = (FixChange("services/api/.github/workflows/ci.yml", "CI002", "pinned actions/checkout to its commit"),)
    return Report((api, web), rules, fixes, tool_version="9.9.9", elapsed_seconds=0.25)


SUFFIX = {"text": "txt", "json": "json", "sarif": "sarif", "junit": "xml", "github": "txt", "markdown": "md",
          "codeclimate": "json"}


@pytest.mark.parametrize("name", REPORTER_NAMES)
def test_reporter_output_matches_its_reference(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    out = io.StringIO()
    get_reporter(name)(fixed_report(), out)
    reference = REFERENCES / f"{name}.{SUFFIX[name]}"
    if os.environ.get("PLATCTL_UPDATE_REFERENCES"):
        reference.parent.mkdir(parents=True, exist_ok=True)
        reference.write_text(out.getvalue(), encoding="utf-8")
    assert out.getvalue() == reference.read_text(encoding="utf-8"), f"{name} output changed; see the module docstring"


def test_every_reporter_has_a_reference() -> None:
    assert sorted(p.stem for p in REFERENCES.iterdir()) == sorted(REPORTER_NAMES)


def test_sarif_results_are_unique_located_and_only_security_rules_have_a_security_severity() -> None:
    from platctl.doctor.reporters.sarif import as_sarif

    run = as_sarif(fixed_report())["runs"][0]
    prints = [r["partialFingerprints"]["platctlFindingHash/v2"] for r in run["results"]]
    assert len(prints) == len(set(prints)) == 6  # the same message twice in one file: two alerts
    assert all(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] != "services/api/SECURITY.md"
               for r in run["results"])
    assert [n["associatedRule"]["id"] for n in run["invocations"][0]["toolExecutionNotifications"]] == ["SEC003"]
    severities = {r["id"]: "security-severity" in r["properties"] for r in run["tool"]["driver"]["rules"]}
    assert severities == {"CI002": True, "DOCKER001": True, "SEC001": True, "SEC003": False, "OBS004": False,
                          "GP003": False}
    assert "%SRCROOT%" in run["originalUriBaseIds"]
