"""Every rule, twice: the GOOD repository stays silent; one change to it fires the rule on the right file and line."""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple, Optional, Union

import pytest
from doctor_support import (
    ALERTS,
    CATALOG,
    DEPLOYMENT,
    DOCKERFILE,
    GITLAB_CI,
    GOOD,
    JENKINSFILE,
    MAIN_TF,
    PDB,
    SHA,
    VARIABLES_TF,
    VERSIONS_TF,
    WORKFLOW,
    check,
    line_of,
    mutated,
    record,
    write_repo,
)

from platctl.doctor.rules import REGISTRY

WF = ".github/workflows/ci.yml"
PRIVATE_KEY_HEADER = "-----BEGIN " + "RSA PRIVATE KEY-----"
FAKE_KEY_BODY = "MIIEowIBAAKCAQEAsecretsecretsecret"
FAKE_AWS_KEY = "AKIA" + "Z7Q2WJ4KXH3MB5NA"


class Case(NamedTuple):
    code: str
    changes: dict[str, Optional[str]]
    path: str
    where: Union[str, int, None]  # a marker text on the expected line, a line number, or None (file-level)
    select: tuple[str, ...] = ()


def _wf(old: str, new: str) -> dict[str, Optional[str]]:
    assert old in WORKFLOW
    return {WF: WORKFLOW.replace(old, new, 1)}


CASES = [
    Case("OWN001", {"CODEOWNERS": None}, "CODEOWNERS", None),
    Case("OWN002", {"CODEOWNERS": "* @acme/team-checkout\n"}, "CODEOWNERS", 1),
    Case("OWN003", {"catalog-info.yaml": None}, "catalog-info.yaml", None),
    Case("OWN004", {"catalog-info.yaml": CATALOG.replace("backstage.io/v1alpha1", "v1")}, "catalog-info.yaml", 1),
    Case(
        "OWN005", {"catalog-info.yaml": CATALOG.replace("  owner: team-payments\n", "")}, "catalog-info.yaml", "type:"
    ),
    Case("OWN006", {"catalog-info.yaml": CATALOG.replace("  system: payments\n", "")}, "catalog-info.yaml", "type:"),
    Case("CI001", {WF: "name: ci\njobs: {}\n"}, WF, 1),
    Case("CI002", _wf(f"@{SHA}  # v4.2.2", "@v4"), WF, "actions/checkout@v4"),
    Case("CI003", _wf("permissions:\n  contents: read\n", ""), WF, 1),
    Case("CI003", _wf("  contents: read\n", "  contents: write\n"), WF, "permissions:"),
    Case("CI004", _wf("    timeout-minutes: 10\n    steps:\n      - uses", "    steps:\n      - uses"), WF, "lint:"),
    Case(
        "CI005",
        _wf(
            "      - run: make build",
            "      - run: make build\n        env:\n" "          KEY: ${{ secrets.AWS_ACCESS_KEY_ID }}",
        ),
        WF,
        "secrets.AWS_ACCESS_KEY_ID",
    ),
    # Judged across all pipelines together (off by default): none of them builds.
    Case(
        "CI006",
        {
            WF: WORKFLOW.replace("  build:\n", "  ship:\n").replace("make build", "make dist"),
            ".gitlab-ci.yml": None,
            "Jenkinsfile": None,
        },
        WF,
        1,
        ("CI006",),
    ),
    Case(
        "CI007",
        _wf("  pull_request:\n", "  pull_request_target:\n")
        | {
            WF: WORKFLOW.replace("  pull_request:\n", "  pull_request_target:\n").replace(
                "  # v4.2.2\n", "  # v4.2.2\n        with:\n          ref: ${{ github.event.pull_request.head.sha }}\n"
            )
        },
        WF,
        "ref: ${{",
    ),
    Case("CI008", _wf("run: make test", 'run: echo "${{ github.event.pull_request.title }}"'), WF, "echo"),
    Case(
        "CI009",
        _wf("concurrency:\n  group: ${{ github.workflow }}-${{ github.ref }}\n  cancel-in-progress: true\n", ""),
        WF,
        1,
    ),
    Case(
        "CI010",
        {".gitlab-ci.yml": GITLAB_CI.replace("    - postgres:16.4", "    - postgres")},
        ".gitlab-ci.yml",
        "services:",
    ),
    Case(
        "CI010",
        {".gitlab-ci.yml": GITLAB_CI.replace("    name: python:3.12-slim-bookworm", "    name: python:latest")},
        ".gitlab-ci.yml",
        8,
    ),
    Case("CI011", {".gitlab-ci.yml": GITLAB_CI.replace("  interruptible: true\n", "")}, ".gitlab-ci.yml", "default:"),
    Case(
        "CI012",
        {"Jenkinsfile": JENKINSFILE.replace("  options { timeout(time: 30, unit: 'MINUTES') }\n", "")},
        "Jenkinsfile",
        "pipeline {",
    ),
    # A stage's timeout does not bound the pipeline.
    Case(
        "CI012",
        {
            "Jenkinsfile": JENKINSFILE.replace(
                "  options { timeout(time: 30, unit: 'MINUTES') }\n", "  options { disableConcurrentBuilds() }\n"
            )
        },
        "Jenkinsfile",
        "pipeline {",
    ),
    Case("CI015", {WF: None, ".gitlab-ci.yml": None, "Jenkinsfile": None}, WF, None),
    Case(
        "CI013",
        {"Jenkinsfile": JENKINSFILE.replace("image 'python:3.12-slim-bookworm'", "image 'python'")},
        "Jenkinsfile",
        "image 'python'",
    ),
    # One finding on default:, where one timeout: fixes every job.
    Case("CI014", {".gitlab-ci.yml": GITLAB_CI.replace("  timeout: 15 minutes\n", "")}, ".gitlab-ci.yml", "default:"),
    Case(
        "CI005",
        {
            ".gitlab-ci.yml": GITLAB_CI.replace(
                "  script: [make build]", "  script: [aws s3 ls]\n  variables: {AWS_SECRET_ACCESS_KEY: " "$KEY}"
            )
        },
        ".gitlab-ci.yml",
        "AWS_SECRET_ACCESS_KEY",
    ),
    Case(
        "CI005",
        {
            "Jenkinsfile": JENKINSFILE.replace(
                "sh 'make lint'",
                "withCredentials([string(credentialsId: 'k', variable: "
                "'AWS_SECRET_ACCESS_KEY')]) { sh 'make lint' }",
            )
        },
        "Jenkinsfile",
        "AWS_SECRET_ACCESS_KEY",
    ),
    Case("DOCKER001", {"Dockerfile": DOCKERFILE.replace("USER 10001:10001\n", "")}, "Dockerfile", 4),
    Case("DOCKER001", {"Dockerfile": DOCKERFILE.replace("USER 10001:10001", "USER root")}, "Dockerfile", "USER"),
    Case(
        "DOCKER002",
        {"Dockerfile": "FROM python:3.12-slim\nRUN pip install .\nUSER 10001\nHEALTHCHECK CMD " '["true"]\n'},
        "Dockerfile",
        1,
    ),
    Case(
        "DOCKER003",
        {"Dockerfile": DOCKERFILE.replace("FROM python:3.12-slim\n", "FROM python:latest\n")},
        "Dockerfile",
        "python:latest",
    ),
    # Not deployed to Kubernetes (which ignores HEALTHCHECK): the image must say how to test it.
    Case(
        "DOCKER004",
        {
            "Dockerfile": DOCKERFILE.replace('HEALTHCHECK CMD ["python", "-c", "print(1)"]\n', ""),
            "deploy/deployment.yaml": None,
            "deploy/pdb.yaml": None,
        },
        "Dockerfile",
        4,
    ),
    Case(
        "DOCKER005",
        {".dockerignore": None, "Dockerfile": DOCKERFILE.replace("RUN pip wheel", "COPY . /src\nRUN pip " "wheel")},
        "Dockerfile",
        None,
    ),
    Case(
        "DOCKER006", {"Dockerfile": DOCKERFILE.replace("COPY --from", "ADD . /app\nCOPY --from")}, "Dockerfile", "ADD"
    ),
    Case(
        "DOCKER007",
        {"Dockerfile": DOCKERFILE.replace('CMD ["python", "-m", "app"]', "CMD python -m app")},
        "Dockerfile",
        "CMD python",
    ),
    Case(
        "TF001",
        {"terraform/versions.tf": VERSIONS_TF.replace(">= 1.6, < 2.0", ">= 1.6")},
        "terraform/versions.tf",
        "required_version",
    ),
    Case(
        "TF002",
        {"terraform/versions.tf": VERSIONS_TF.replace('      version = "~> 5.0"\n', "")},
        "terraform/versions.tf",
        "aws = {",
    ),
    Case(
        "TF003",
        {"terraform/versions.tf": VERSIONS_TF.replace("    encrypt      = true\n", "")},
        "terraform/versions.tf",
        'backend "s3"',
    ),
    Case(
        "TF004",
        {"terraform/main.tf": MAIN_TF.replace('    cost_center = "cc-1"\n', "")},
        "terraform/main.tf",
        "tags = local.tags",
    ),
    Case(
        "TF005",
        {"terraform/variables.tf": VARIABLES_TF.replace("  type        = string\n", "", 1)},
        "terraform/variables.tf",
        'variable "owner"',
    ),
    Case(
        "TF006",
        {"terraform/variables.tf": VARIABLES_TF.replace('  description = "Owning team."\n', "")},
        "terraform/variables.tf",
        'variable "owner"',
    ),
    Case(
        "TF007",
        {"terraform/main.tf": MAIN_TF.replace('  version = "5.8.1"\n', "")},
        "terraform/main.tf",
        "terraform-aws-modules/vpc/aws",
    ),
    Case(
        "K8S001",
        {"deploy/deployment.yaml": DEPLOYMENT.replace("              cpu: 500m\n", "")},
        "deploy/deployment.yaml",
        "resources:",
    ),
    Case(
        "K8S002",
        {
            "deploy/deployment.yaml": DEPLOYMENT.replace(
                "          readinessProbe:\n            httpGet: " "{path: /readyz, port: 8080}\n", ""
            )
        },
        "deploy/deployment.yaml",
        "- name: app",
    ),
    Case(
        "K8S003",
        {"deploy/deployment.yaml": DEPLOYMENT.replace("        runAsNonRoot: true\n", "")},
        "deploy/deployment.yaml",
        "- name: app",
    ),
    Case(
        "K8S004",
        {"deploy/deployment.yaml": DEPLOYMENT.replace("            readOnlyRootFilesystem: true\n", "")},
        "deploy/deployment.yaml",
        "          securityContext:",
    ),
    Case("K8S005", {"deploy/pdb.yaml": PDB.split("---\n")[1]}, "deploy/deployment.yaml", 1),
    Case(
        "K8S006",
        {"deploy/deployment.yaml": DEPLOYMENT.replace(":1.0.0", ":latest")},
        "deploy/deployment.yaml",
        "image:",
    ),
    Case(
        "K8S007",
        {
            "deploy/deployment.yaml": DEPLOYMENT.replace(
                "              drop: [ALL]\n", "              add: " "[NET_ADMIN]\n"
            )
        },
        "deploy/deployment.yaml",
        "- name: app",
    ),
    Case("OBS001", {"observability/slo-rules.yaml": None}, "observability/slo-rules.yaml", None),
    Case(
        "OBS002",
        {"observability/slo-rules.yaml": ALERTS.replace("        for: 2m", "        for: soon")},
        "observability/slo-rules.yaml",
        "- alert:",
    ),
    Case(
        "OBS003",
        {"observability/slo-rules.yaml": ALERTS.replace("        labels:\n          severity: page\n", "")},
        "observability/slo-rules.yaml",
        "- alert:",
    ),
    Case(
        "OBS004",
        {"observability/slo-rules.yaml": ALERTS.replace("          runbook_url:", "          see:")},
        "observability/slo-rules.yaml",
        "- alert:",
    ),
    Case("OBS005", {"docs/runbook.md": None}, "observability/slo-rules.yaml", "runbook_url"),
    Case(
        "OBS006",
        {"observability/slo-rules.yaml": ALERTS.replace("14.4", "10").replace("ErrorBudgetBurnFast", "Errors")},
        "observability/slo-rules.yaml",
        "- name:",
    ),
    Case("OBS007", {"observability/grafana-dashboard.json": None}, "observability/grafana-dashboard.json", None),
    Case(
        "OBS007",
        {"observability/grafana-dashboard.json": '{"title": "x", "panels": [{}]}'},
        "observability/grafana-dashboard.json",
        1,
    ),
    Case("OBS008", {"deploy/pdb.yaml": PDB.split("---\n")[0]}, "deploy/deployment.yaml", 1),
    Case(
        "OBS009",
        {"src/app.py": '@app.get("/health")\ndef health(): ...\n'},
        "deploy/deployment.yaml",
        "httpGet: {path: /healthz",
    ),
    Case(
        "DOCKER008",
        {"docker-compose.yml": "services:\n  db:\n    image: postgres:16.4\n    privileged: true\n"},
        "docker-compose.yml",
        "privileged",
    ),
    Case("SEC001", {"config/key.pem": f"{PRIVATE_KEY_HEADER}\n{FAKE_KEY_BODY}\n"}, "config/key.pem", 1),
    Case("SEC002", {"settings.env": f"# creds\nAWS_ACCESS_KEY_ID={FAKE_AWS_KEY}\n"}, "settings.env", 2),
    Case("SEC003", {"SECURITY.md": None}, "SECURITY.md", None),
    Case("GP001", {".platctl.yaml": None}, ".platctl.yaml", None),
    Case("GP002", {".platctl.yaml": "golden_path: python-service\nanswers: {}\n"}, ".platctl.yaml", 1),
    Case("GP003", {".platctl.yaml": record(version="0.0.1")}, ".platctl.yaml", "version:"),
    Case(
        "GP004",
        {
            ".platctl.yaml": record(
                doctor="doctor:\n  waivers:\n    - rule: CI002\n      path: x\n"
                "      reason: vendor\n      expires: 2020-01-01\n"
            )
        },
        ".platctl.yaml",
        "- rule: CI002",
    ),
    Case("REPO001", {WF: "on: push\njobs: {a: [}\n"}, WF, 2, ("CI001", "REPO001")),
]


def test_good_repository_has_no_findings(tmp_path: Path) -> None:
    report = check(write_repo(tmp_path, GOOD))
    assert report.findings == ()
    assert report.services[0].level == "gold"


# Rules that compare with a real render are tested on one in test_generated_service.py.
RENDER_RULES = {r.code for r in REGISTRY if r.meta.renders}


def test_every_rule_has_a_failing_case() -> None:
    assert {r.code for r in REGISTRY} - RENDER_RULES == {c.code for c in CASES}


@pytest.mark.parametrize("case", CASES, ids=[f"{c.code}-{i}" for i, c in enumerate(CASES)])
def test_rule_fires_on_the_right_file_and_line(case: Case, tmp_path: Path) -> None:
    files = mutated(case.changes)
    report = check(write_repo(tmp_path, files), *(case.select or (case.code,)))
    fired = [f for f in report.findings if f.rule == case.code]
    assert fired, f"{case.code} did not fire; findings: {report.findings}"
    expected = _expected_line(case, files)
    assert (fired[0].path, fired[0].line) == (case.path, expected), fired


@pytest.mark.parametrize("code", sorted({c.code for c in CASES}))
def test_rule_is_silent_on_the_good_repository(code: str, tmp_path: Path) -> None:
    assert check(write_repo(tmp_path, GOOD), code).findings == ()


def _expected_line(case: Case, files: dict[str, Optional[str]]) -> Optional[int]:
    if case.where is None or isinstance(case.where, int):
        return case.where
    text = files[case.path]
    assert text is not None
    return line_of(text, case.where)


def test_secret_values_are_never_printed(tmp_path: Path) -> None:
    from io import StringIO

    from platctl.doctor.reporters import REPORTER_NAMES, get_reporter

    files = mutated({"config/key.pem": f"{PRIVATE_KEY_HEADER}\n{FAKE_KEY_BODY}\n", "x.env": f"K={FAKE_AWS_KEY}\n"})
    report = check(write_repo(tmp_path, files), "SEC")
    assert len(report.findings) == 2
    for name in REPORTER_NAMES:
        out = StringIO()
        get_reporter(name)(report, out)
        assert FAKE_KEY_BODY not in out.getvalue() and FAKE_AWS_KEY not in out.getvalue(), name


def test_a_repo_without_a_record_gets_no_missing_file_findings(tmp_path: Path) -> None:
    write_repo(tmp_path, {".github/workflows/ci.yml": WORKFLOW, "README.md": "hi\n"})
    report = check(tmp_path)
    assert [f.rule for f in report.findings] == ["GP001"]


def test_github_script_injection_is_caught(tmp_path: Path) -> None:
    step = (
        "      - uses: actions/github-script@60a0d83039c74a4aee543508d2ffcb1c3799cdea  # v7.0.1\n"
        "        with:\n          script: console.log('${{ github.event.issue.title }}')\n"
    )
    workflow = WORKFLOW.replace("      - run: make test\n", step)
    report = check(write_repo(tmp_path, mutated({WF: workflow})), "CI008")
    assert [(f.path, f.line) for f in report.findings] == [(WF, line_of(workflow, "script:"))]


def test_runbooks_of_other_repositories_are_not_checked(tmp_path: Path) -> None:
    catalog = CATALOG.replace(
        "metadata:\n  name: payments-api\n",
        "metadata:\n  name: payments-api\n  annotations:\n    github.com/project-slug: " "acme/payments-api\n",
    )
    alerts = ALERTS.replace("acme/payments-api/blob/main/docs/runbook.md", "acme/runbooks/blob/main/payments.md")
    report = check(
        write_repo(tmp_path, mutated({"catalog-info.yaml": catalog, "observability/slo-rules.yaml": alerts})), "OBS005"
    )
    assert report.findings == ()


def test_other_tools_groups_of_rules_are_not_prometheus(tmp_path: Path) -> None:
    firewall = "groups:\n  - name: web\n    rules:\n      - port: 443\n        action: allow\n"
    report = check(write_repo(tmp_path, mutated({"config/firewall.yaml": firewall})), "OBS")
    assert report.findings == ()
