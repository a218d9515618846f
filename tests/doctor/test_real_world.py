"""Patterns from public repositories that doctor got wrong (issue 11): each a small repository of our own.

Every test here failed before the fix it names; the corpus check (bench/doctor_corpus.py) runs the
real repositories.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from doctor_support import GOOD, check, write_repo

from platctl.doctor.api import DoctorOptions, run_doctor
from platctl.gitcmd import git_command

APP = {"src/app.go": "package main\n"}  # application source: Dockerfiles build service images


def findings(files: dict[str, str], *select: str) -> list[tuple[str, str, int | None, str]]:
    return [(f.rule, f.path, f.line, f.message) for f in check(write_repo(_tmp(), files), *select).findings]


_COUNTER = iter(range(10**6))
_ROOT: list[Path] = []


@pytest.fixture(autouse=True)
def _root(tmp_path: Path) -> None:
    _ROOT[:] = [tmp_path]


def _tmp() -> Path:
    path = _ROOT[0] / f"repo{next(_COUNTER)}"
    path.mkdir()
    return path


def rules(files: dict[str, str], *select: str) -> list[str]:
    return [f[0] for f in findings(files, *select)]


# -- kustomize and skaffold (K8S006) ---------------------------------------------------------------------
POD = """\
apiVersion: apps/v1
kind: Deployment
metadata: {{name: web}}
spec:
  template:
    spec:
      containers:
        - name: web
          image: {image}
"""


def test_an_override_in_a_component_nobody_includes_changes_nothing() -> None:
    files = {"base/web.yaml": POD.format(image="ghcr.io/acme/web:1.2.3"),
             "base/kustomization.yaml": "resources: [web.yaml]\n",
             "components/dev/kustomization.yaml": "kind: Component\nimages:\n  - name: ghcr.io/acme/web\n    "
                                                  "newTag: "
                                                  "latest\n"}
    assert rules(files, "K8S006") == []


def test_a_plain_manifest_folder_is_judged_by_its_own_images() -> None:
    files = {"manifests/web.yaml": POD.format(image="ghcr.io/acme/web:1.2.3"),
             "other/kustomization.yaml": "resources: [x.yaml]\nimages:\n  - name: ghcr.io/acme/web\n    newTag: "
                                         "latest\n"}
    assert rules(files, "K8S006") == []


def test_new_name_only_keeps_the_tag_and_an_overlay_chain_is_followed() -> None:
    base = {"base/web.yaml": POD.format(image="web:1.2.3"), "base/kustomization.yaml": "resources: [web.yaml]\n"}
    renamed = {**base, "prod/kustomization.yaml": "resources: [../base]\nimages:\n  - name: web\n    newName: "
                                                  "ghcr.io/acme/web\n"}
    assert rules(renamed, "K8S006") == []
    latest = {**base, "prod/kustomization.yaml": "resources: [../base]\nimages:\n  - name: web\n    newTag: "
                                                 "latest\n"}
    assert findings(latest, "K8S006")[0][:3] == ("K8S006", "base/web.yaml", 9)


def test_skaffold_artifacts_are_tagged_at_deploy_time() -> None:
    files = {"k8s/web.yaml": POD.format(image="web"),
             "skaffold.yaml": "apiVersion: skaffold/v4beta6\nkind: Config\nbuild:\n  artifacts:\n    - image: web\n"}
    assert rules(files, "K8S006") == []


# -- floating tags (DOCKER003, K8S006, CI010, compose) ---------------------------------------------------
@pytest.mark.parametrize("image", ["node:alpine", "redis:alpine", "debian:testing", "docker:dind", "python:3"])
def test_a_tag_without_a_version_is_not_pinned(image: str) -> None:
    assert rules({**APP, "Dockerfile": f"FROM {image}\nUSER 10001\nCMD [\"x\"]\n"}, "DOCKER003") == ["DOCKER003"]


@pytest.mark.parametrize("image", ["python:3.12-slim", "debian:trixie-slim", "node:22.11.0-alpine3.20",
                                   "alpine@sha256:" + "a" * 64])
def test_a_version_or_digest_pins(image: str) -> None:
    assert rules({**APP, "Dockerfile": f"FROM {image}\nUSER 10001\nCMD [\"x\"]\n"}, "DOCKER003") == []


# -- path roles ------------------------------------------------------------------------------------------
def test_test_fixtures_examples_and_ci_images_are_not_production() -> None:
    bad = "FROM python\nCMD x\n"
    files = {**APP, "tests/dockerfiles/alpine/Dockerfile": bad, "ci/containers/fedora.Dockerfile": bad,
             "examples/complete/main.tf": 'provider "aws" {}\n', "Dockerfile.debug": bad}
    assert findings(files, "DOCKER", "TF") == []
    assert rules({**APP, "service/Dockerfile": bad}, "DOCKER001") == ["DOCKER001"]


def test_the_roles_key_claims_a_path_back_for_production(tmp_path: Path) -> None:
    record = "doctor:\n  roles:\n    production: [\"examples/live/*\"]\n"
    files = {**APP, ".platctl.yaml": record, "examples/live/Dockerfile": "FROM python:3.12\nCMD [\"x\"]\n"}
    assert "DOCKER001" in rules(files, "DOCKER001")


def test_an_unknown_role_is_a_configuration_error() -> None:
    from platctl.errors import ConfigError

    with pytest.raises(ConfigError, match="unknown role 'fixtures'"):
        check(write_repo(_tmp(), {".platctl.yaml": "doctor:\n  roles:\n    fixtures: [x/*]\n"}))


# -- repository kinds ------------------------------------------------------------------------------------
MODULE_VERSIONS = ('terraform {\n  required_version = ">= 1.0"\n  required_providers {\n    aws = {\n      source  '
                   '= '
                   '"hashicorp/aws"\n      version = ">= 5.0"\n    }\n  }\n}\n')


def test_a_reusable_module_states_floors_only() -> None:
    assert rules({"versions.tf": MODULE_VERSIONS, "main.tf": 'resource "aws_vpc" "this" {}\n'}, "TF") == []
    root = {"versions.tf": MODULE_VERSIONS, "main.tf": 'provider "aws" {}\n'}
    assert sorted(set(rules(root, "TF001", "TF002"))) == ["TF001", "TF002"]


def test_an_hcp_terraform_cloud_block_is_a_remote_backend() -> None:
    files = {"main.tf": 'terraform {\n  cloud {\n    workspaces { name = "x" }\n  }\n}\nprovider "aws" {}\n'}
    assert rules(files, "TF003") == []


def test_a_terraform_file_that_does_not_parse_is_a_finding_with_its_line() -> None:
    found = findings({"main.tf": 'locals {\n  a = 1\n  b = [\n}\n'}, "TF001", "REPO001")
    assert found[0][:3] == ("REPO001", "main.tf", 3)


def test_base_images_and_windows_images_are_not_asked_for_a_numeric_user() -> None:
    library = {"3.12/bookworm/Dockerfile": 'FROM debian:bookworm-slim\nCMD ["python3"]\n'}
    assert rules(library, "DOCKER001", "DOCKER002", "DOCKER004", "DOCKER005") == []
    windows = {
        **APP,
        "Dockerfile": "# escape=`\nFROM mcr.microsoft.com/windows/servercore:ltsc2022\nRUN echo `\n  "
        'hi\nCMD ["x"]\n',
    }
    assert rules(windows, "DOCKER001") == []


def test_a_single_replica_needs_no_pod_disruption_budget() -> None:
    one = POD.format(image="web:1.2.3").replace("spec:\n  template", "spec:\n  replicas: 1\n  template")
    assert rules({"k8s/web.yaml": one}, "K8S005") == []
    assert rules({"k8s/web.yaml": one.replace("replicas: 1", "replicas: 3")}, "K8S005") == ["K8S005"]


# -- CI ------------------------------------------------------------------------------------------------
GITLAB = (
    "default:\n  interruptible: true\nlint:\n  script: [make lint]\ntest:\n  script: [make test]\nbuild:\n  "
    "script: [make build]\n"
)


def test_ci014_reports_once_where_one_default_timeout_fixes_it() -> None:
    assert findings({".gitlab-ci.yml": GITLAB}, "CI014") == [
        (
            "CI014",
            ".gitlab-ci.yml",
            1,
            "3 job(s) have no timeout (lint, test, build) and default: sets none; " "add default: timeout:",
        )
    ]


WF = ("on: [push]\njobs:\n  a:\n    runs-on: ubuntu-24.04\n    permissions: {contents: read}\n    steps: [{run: "
      "make}]\n")


def test_ci003_is_quiet_when_every_job_sets_its_permissions() -> None:
    assert rules({".github/workflows/ci.yml": WF}, "CI003") == []
    assert rules({".github/workflows/ci.yml": WF.replace("    permissions: {contents: read}\n", "")}, "CI003") == [
        "CI003"
    ]


def test_docker_actions_need_a_digest() -> None:
    step = WF.replace("steps: [{run: make}]", "steps: [{uses: 'docker://alpine:3.20'}]")
    assert rules({".github/workflows/ci.yml": step}, "CI002") == ["CI002"]


def test_workflow_run_that_checks_out_the_fork_head_is_a_pwn_request() -> None:
    wf = (
        "on:\n  workflow_run:\n    workflows: [ci]\n    types: [completed]\njobs:\n  a:\n    runs-on: x\n    "
        "steps:\n"
        "      - uses: actions/checkout@v4\n        with:\n          ref: ${{ github.event.workflow_run.head_sha "
        "}}\n"
        "      - uses: actions/download-artifact@v4\n      - run: cat pr.env >> $GITHUB_ENV\n"
    )
    assert [(r, line) for r, _, line, _ in findings({".github/workflows/x.yml": wf}, "CI007")] == [
        ("CI007", 11),
        ("CI007", 13),
    ]


def test_workflow_dispatch_text_inputs_are_untrusted_in_run() -> None:
    wf = (
        "on:\n  workflow_dispatch:\n    inputs:\n      tag: {type: string}\n      dry: {type: boolean}\njobs:\n  "
        "a:\n"
        "    runs-on: x\n    steps:\n      - run: echo ${{ inputs.tag }}\n      - run: echo ${{ inputs.dry }}\n"
    )
    assert [(r, line) for r, _, line, _ in findings({".github/workflows/x.yml": wf}, "CI008")] == [("CI008", 10)]


def test_sec001_needs_key_material_after_the_header() -> None:
    header = "-----BEGIN " + "RSA PRIVATE KEY-----"
    assertion = f'assert "{header}" in output\nassert parse(output) is None\n'
    assert rules({"check_keys.py": assertion}, "SEC001") == []
    body = "MIIEpQIBAAKCAQEAzIrvApxNX3VxH5eYe4vI2kLTqOA9uFTV4clGy8uzQsGQvMjl"
    assert rules({"deploy/id.pem": f"{header}  # platctl: note\n{body}\n"}, "SEC001") == ["SEC001"]


def test_sec001_reads_a_chart_template_for_key_material_too() -> None:
    """Helm templates are not parsed but the secret scan reads them; whether key material follows the
    header is decided on their text as well (bitnami/kafka's NOTES.txt shows a placeholder key)."""
    header = "-----BEGIN " + "ENCRYPTED PRIVATE KEY-----"
    placeholder = f"{{{{- if .Values.tls }}}}\nssl.keystore.key={header} \\\n... \\\n-----END ...\n{{{{- end }}}}\n"
    body = "MIHcAgEBBEIA762MbJK9IBnaqG0sd9uFRM+Z7Y+Aq5UfmbWf0+acKMYpYoy/8kBE"
    chart = {"chart/Chart.yaml": "name: x\n", "chart/templates/NOTES.txt": placeholder}
    assert rules(chart, "SEC001") == []
    chart["chart/templates/_helpers.tpl"] = f'{{{{- define "key" -}}}}\n{header}\n{body}\n{{{{- end -}}}}\n'
    assert [f[1] for f in findings(chart, "SEC001")] == ["chart/templates/_helpers.tpl"]


# -- files that were never read ------------------------------------------------------------------------
def test_compose_files_are_checked() -> None:
    compose = (
        "services:\n  web:\n    build: .\n    image: acme/web\n  cache:\n    image: redis:alpine\n"
        "  agent:\n    image: agent:1.2.3\n    volumes:\n      - /var/run/docker.sock:/var/run/docker.sock\n"
    )
    assert [(r, line) for r, _, line, _ in findings({"docker-compose.yml": compose}, "DOCKER008")] == [
        ("DOCKER008", 6),
        ("DOCKER008", 10),
    ]


def test_helm_templates_scripted_jenkinsfiles_and_dockerfile_templates_are_reported_not_checked() -> None:
    files = {
        "chart/Chart.yaml": "name: x\n",
        "chart/templates/deploy.yaml": "{{- if .Values.x }}\nkind: " "Deployment\n{{- end }}\n",
        "Jenkinsfile-nightly": "node {\n  sh 'make'\n}\n",
        "Dockerfile.template": "FROM {{ base }}\n",
    }
    report = check(write_repo(_tmp(), files), "ALL")
    skipped = {s.path for s in report.services[0].skips}
    assert skipped == {"chart/templates/deploy.yaml", "Jenkinsfile-nightly", "Dockerfile.template"}
    assert "REPO001" not in [f.rule for f in report.findings]


def test_dockerfile_variants_are_checked() -> None:
    assert rules({**APP, "Dockerfile-alpine": "FROM alpine\n", "api.Dockerfile": "FROM alpine\n"}, "DOCKER003") == [
        "DOCKER003",
        "DOCKER003",
    ]


def test_the_same_tree_has_the_same_skips_in_and_out_of_git(tmp_path: Path) -> None:
    files = {**GOOD, **{f"img/{n}.png": "" for n in range(3)}}
    plain, tracked = write_repo(tmp_path / "plain", files), write_repo(tmp_path / "git", files)
    for n in range(3):
        for root in (plain, tracked):
            (root / f"img/{n}.png").write_bytes(b"\x89PNG\0\0binary")
    subprocess.run(git_command("init", "-q", str(tracked)), check=True)
    subprocess.run(git_command("-C", str(tracked), "add", "-A"), check=True)
    reports = [run_doctor([root], DoctorOptions()) for root in (plain, tracked)]
    skips = [sorted((s.path, s.reason) for s in r.services[0].skips) for r in reports]
    assert skips[0] == skips[1]


def test_image_advice_fits_how_the_image_runs() -> None:
    proxy = {**APP, "proxy/Dockerfile": "FROM nginx:1.27.2\nCOPY nginx.conf /etc/nginx/nginx.conf\nUSER 101\n"}
    assert rules(proxy, "DOCKER002", "DOCKER005") == []  # nothing built, only a named file copied
    k8s = {
        **APP,
        "Dockerfile": 'FROM python:3.12-slim\nUSER 10001\nCMD ["x"]\n',
        "k8s/web.yaml": POD.format(image="web:1.2.3"),
    }
    assert rules(k8s, "DOCKER004") == []  # the kubelet ignores HEALTHCHECK; probes are K8S002's
    worker = POD.format(image="web:1.2.3")
    assert rules({"k8s/web.yaml": worker}, "K8S002") == []  # no port: no traffic for a readiness probe to gate
    served = worker.replace(
        "          image: web:1.2.3\n", "          image: web:1.2.3\n          ports: " "[{containerPort: 80}]\n"
    )
    assert rules({"k8s/web.yaml": served}, "K8S002") == ["K8S002"]


def test_a_pull_request_target_job_only_for_dependabot_pull_requests_is_not_a_pwn_request() -> None:
    wf = (
        "on: pull_request_target\njobs:\n  a:\n    if: github.event.pull_request.user.login == 'dependabot[bot]'\n"
        "    runs-on: x\n    steps:\n      - uses: actions/checkout@v4\n        with:\n          ref: ${{ "
        "github.head_ref }}\n"
    )
    assert rules({".github/workflows/x.yml": wf}, "CI007") == []
    spoofable = wf.replace("github.event.pull_request.user.login", "github.actor")
    assert rules({".github/workflows/x.yml": spoofable}, "CI007") == ["CI007"]


def test_a_bare_equals_in_yaml_is_the_string_it_is_in_kubernetes() -> None:
    crd = (
        "apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata: {name: x}\nspec:\n"
        "  enum:\n  - '!='\n  - =\n  - =~\n"
    )
    assert "REPO001" not in rules({"crds/x.yaml": crd}, "ALL")


def test_a_dev_environment_stage_at_the_end_is_not_the_shipped_image() -> None:
    dockerfile = (
        'FROM node:22.11.0 AS builder\nRUN npm ci\nUSER 1000\nCMD ["node", "app.js"]\n'
        'FROM builder AS dev-envs\nRUN apt-get install -y git\nCMD ["bash"]\n'
    )
    assert rules({**APP, "Dockerfile": dockerfile}, "DOCKER001") == []


# -- --fix changes only the lines it must ------------------------------------------------------------------
ODD_STYLE = (
    "name: 'build'   \r\n"
    "on:\r\n"
    '    push: {branches: ["main"]}\r\n'
    "\r\n"
    "jobs:\r\n"
    "    test:\r\n"
    "        runs-on: ubuntu-24.04\r\n"
    "        steps:\r\n"
    "        -   uses: actions/checkout@11bd71901bbe5b1630ceea73d27597364c9af683   \r\n"
    "        -   run: make test\r\n"
    "            timeout-minutes: 45\r\n"
    "    \r\n"
    "    lint:\r\n"
    '        runs-on: "ubuntu-24.04"\r\n'
    "        steps: [{run: make lint}]\r\n"
)


def test_fix_inserts_lines_and_leaves_every_other_byte(tmp_path: Path) -> None:
    root = write_repo(tmp_path, {})
    (root / ".github/workflows").mkdir(parents=True)
    (root / ".github/workflows/ci.yml").write_bytes(ODD_STYLE.encode())
    run_doctor([root], DoctorOptions(select=("CI003", "CI004"), fix=True))
    after = (root / ".github/workflows/ci.yml").read_bytes().decode()
    expected = (
        ODD_STYLE.replace("jobs:\r\n", "permissions:\r\n    contents: read\r\njobs:\r\n")
        .replace(
            "        runs-on: ubuntu-24.04\r\n", "        runs-on: ubuntu-24.04\r\n        " "timeout-minutes: "
                                                                                             "45\r\n"
        )
        .replace(
            '        runs-on: "ubuntu-24.04"\r\n',
            '        runs-on: "ubuntu-24.04"\r\n        ' "timeout-minutes: 30\r\n",
        )
    )
    assert after == expected  # the 45-minute step keeps its room; CRLF, quotes, trailing spaces untouched


def test_fix_adds_no_read_only_default_where_a_job_needs_more(tmp_path: Path) -> None:
    wf = (
        "on: [push]\njobs:\n  deploy:\n    runs-on: x\n    timeout-minutes: 5\n    steps:\n"
        "      - uses: aws-actions/configure-aws-credentials@v4\n"
    )
    root = write_repo(tmp_path, {".github/workflows/deploy.yml": wf})
    report = run_doctor([root], DoctorOptions(select=("CI003",), fix=True))
    assert (root / ".github/workflows/deploy.yml").read_text() == wf and report.fixes == ()
    assert "needs more than contents: read" in report.findings[0].message and not report.findings[0].fixable


# -- the user a workload runs an image as (DOCKER001; microservices-demo) ----------------------------------
ROOT_IMAGE = "FROM python:3.12-slim@sha256:" + "a" * 64 + "\nCMD [\"python\", \"app.py\"]\n"
WORKLOAD = """\
apiVersion: apps/v1
kind: Deployment
metadata: {{name: {name}}}
spec:
  template:
    spec:
      securityContext: {pod}
      containers:
        - name: server
          image: {image}
          securityContext: {container}
"""


@pytest.mark.parametrize(("pod", "container", "image", "reported"), [
    ("{runAsNonRoot: true, runAsUser: 1000}", "{}", "adservice", False),  # microservices-demo's manifests
    ("{}", "{runAsUser: 10001}", "ghcr.io/acme/adservice:1.2@sha256:" + "b" * 64, False),
    ("{runAsUser: 1000}", "{runAsUser: 0}", "adservice", True),  # the container's setting wins
    ("{runAsNonRoot: true}", "{}", "adservice", True),  # refuses a root image; does not override it
    ("{runAsUser: 1000}", "{}", "cartservice", True),  # another image: nothing sets this one's user
    ("{runAsUser: \"1000\"}", "{}", "adservice", True),  # not a UID Kubernetes accepts
])
def test_an_image_every_workload_runs_as_a_non_root_user(pod: str, container: str, image: str,
                                                          reported: bool) -> None:
    files = {**APP, "src/adservice/Dockerfile": ROOT_IMAGE,
             "deploy/adservice.yaml": WORKLOAD.format(name="adservice", pod=pod, container=container, image=image)}
    assert (rules(files, "DOCKER001") == ["DOCKER001"]) is reported


def test_one_workload_without_the_user_is_enough_to_report_the_image() -> None:
    files = {**APP, "src/adservice/Dockerfile": ROOT_IMAGE,
             "deploy/a.yaml": WORKLOAD.format(name="a", pod="{runAsUser: 1000}", container="{}", image="adservice"),
             "deploy/b.yaml": WORKLOAD.format(name="b", pod="{}", container="{}", image="adservice:2")}
    assert rules(files, "DOCKER001") == ["DOCKER001"]
