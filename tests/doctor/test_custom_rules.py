"""Policy-as-code: rules declared in the org policy file are validated on load and reported like built-in ones."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from doctor_support import GOOD, check, cli, mutated, write_repo  # noqa: F401 - cli is a fixture

from platctl.doctor.reporters import get_reporter
from platctl.errors import ConfigError

POLICY = """\
locked: [ORG004]
rules:
  - code: ORG001
    slug: readme-present
    title: A README is present
    severity: warning
    message: add a README.md
    check: {type: file_exists, paths: [README.md, docs/index.md]}
  - code: ORG002
    title: No .env files
    message: do not commit .env files
    check: {type: file_absent, files: ["*.env", "**/.env"]}
  - code: ORG003
    title: No TODO in workflows
    message: no TODOs in CI
    check: {type: file_not_contains, files: [".github/workflows/*.yml"], pattern: "TODO"}
  - code: ORG004
    title: Jobs run on pinned runners
    message: runs-on must name a versioned runner image
    check: {type: yaml_path, files: [".github/workflows/*.yml"], path: "jobs.*.runs-on", matches: "-[0-9]"}
  - code: ORG005
    title: Dashboards are tagged
    message: dashboards need tags
    check: {type: json_path, files: ["observability/*.json"], path: tags, exists: true}
  - code: ORG006
    title: S3 buckets are versioned
    message: every aws_s3_bucket needs a versioning block
    check: {type: terraform_block, block: resource, labels: [aws_s3_bucket], attribute: versioning}
  - code: ORG007
    title: CODEOWNERS covers terraform
    message: terraform/ needs an owner
    check: {type: codeowners_covers, path: terraform/}
  - code: ORG008
    title: Workflows contain a lint step
    message: workflows must run make lint
    check: {type: file_contains, files: [".github/workflows/*.yml"], pattern: "make lint"}
"""


def policy_file(tmp_path: Path, text: str = POLICY) -> Path:
    path = tmp_path / "policy.yaml"
    path.write_text(text)
    return path


def test_custom_rules_fire_on_the_right_files(tmp_path: Path) -> None:
    files = mutated({
        ".env": "A=1\n",
        "CODEOWNERS": "/src/ @acme/team-payments\n",
        "observability/grafana-dashboard.json": '{"uid": "a", "title": "a", "panels": [{}]}',
        "terraform/s3.tf": 'resource "aws_s3_bucket" "b" {\n  bucket = "x"\n}\n',
        ".github/workflows/ci.yml": GOOD[".github/workflows/ci.yml"].replace("ubuntu-24.04", "ubuntu-latest", 1)
        .replace("make test", "make test  # TODO"),
    })
    report = check(write_repo(tmp_path / "r", files), policy=policy_file(tmp_path))
    found = {(f.rule, f.path, f.line) for f in report.findings if f.rule.startswith("ORG")}
    assert found == {
        ("ORG001", "README.md", None),
        ("ORG002", ".env", None),
        ("ORG003", ".github/workflows/ci.yml", 20),
        ("ORG004", ".github/workflows/ci.yml", 11),
        ("ORG005", "observability/grafana-dashboard.json", 1),
        ("ORG006", "terraform/s3.tf", 1),
        ("ORG007", "CODEOWNERS", None),
    }


def test_custom_rules_pass_and_appear_in_sarif(tmp_path: Path) -> None:
    files = mutated(
        {
            "README.md": "hi\n",
            "CODEOWNERS": "* @acme/team-payments\n/terraform/ @acme/platform\n",
            "observability/grafana-dashboard.json": '{"uid": "a", "title": "a", "tags": ["x"], "panels": [{}]}',
        }
    )
    report = check(write_repo(tmp_path / "r", files), policy=policy_file(tmp_path))
    assert report.findings == ()
    out = StringIO()
    get_reporter("sarif")(report, out)
    assert "ORG004" in [r["id"] for r in json.loads(out.getvalue())["runs"][0]["tool"]["driver"]["rules"]]


def test_custom_rules_can_be_configured_like_built_ins(tmp_path: Path) -> None:
    report = check(write_repo(tmp_path / "r", GOOD), policy=policy_file(tmp_path), ignore=("readme-present", "ORG005"))
    assert report.findings == ()


@pytest.mark.parametrize(
    "broken, message",
    [
        (
            "rules:\n  - code: CI002\n    title: t\n    message: m\n    check: {type: file_exists, paths: [x]}\n",
            r"policy\.yaml:2: custom rule code 'CI002' must be new",
        ),
        (
            "rules:\n  - code: ORG001\n    title: t\n    message: m\n    check: {type: nope}\n",
            r"policy\.yaml:5: check\.type must be one of",
        ),
        (
            "rules:\n  - code: ORG001\n    title: t\n    message: m\n    colour: red\n    check: {type: "
            "file_exists, paths: "
            "[x]}\n",
            r"policy\.yaml:5: unknown key 'colour'",
        ),
        (
            "rules:\n  - code: ORG001\n    title: t\n    message: m\n    check: {type: file_contains, files: [x], "
            "pattern: "
            "'('}\n",
            r"invalid regular expression",
        ),
        (
            "rules:\n  - code: ORG001\n    title: t\n    message: m\n    check: {type: yaml_path, files: [x]}\n",
            r"needs path",
        ),
    ],
)
def test_invalid_custom_rules_name_file_and_line(tmp_path: Path, broken: str, message: str) -> None:
    with pytest.raises(ConfigError, match=message):
        check(write_repo(tmp_path / "r", GOOD), policy=policy_file(tmp_path, broken))


def test_rules_and_explain_show_custom_rules(cli, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    policy = str(policy_file(tmp_path))
    listed = json.loads(cli("rules", "--format", "json", "--policy", policy).out)
    assert {"ORG001", "CI002"} <= {r["code"] for r in listed}
    assert [r["custom"] for r in listed if r["code"] == "ORG001"] == [True]
    explained = cli("doctor", "--explain", "readme-present", "--policy", policy)
    assert explained.code == 0 and "A README is present" in explained.out
