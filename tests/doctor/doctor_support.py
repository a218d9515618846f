"""Doctor test helpers: a small repository that follows every rule, ways to break it, and a CLI fixture.

Not a conftest.py: a second module named ``conftest`` would shadow tests/conftest.py for
the modules that import from it.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Callable, Optional

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cli_runner import CliResult, run_cli  # noqa: E402
from platctl.doctor.api import DoctorOptions, run_doctor
from platctl.doctor.model import Finding, Report
from platctl.scaffold.catalog import bundled_golden_path as golden_path_info

SHA = "11bd71901bbe5b1630ceea73d27597364c9af683"


def record(version: Optional[str] = None, doctor: str = "") -> str:
    info = golden_path_info("python-service")
    version = version or (info.version if info else "1.0.0")
    return (
        "golden_path:\n"
        "  name: python-service\n"
        "  source: bundled:python-service\n"
        f"  version: {version}\n"
        "answers:\n"
        "  service_name: payments-api\n" + doctor
    )


WORKFLOW = f"""\
name: ci
on:
  pull_request:
permissions:
  contents: read
concurrency:
  group: ${{{{ github.workflow }}}}-${{{{ github.ref }}}}
  cancel-in-progress: true
jobs:
  lint:
    runs-on: ubuntu-24.04
    timeout-minutes: 10
    steps:
      - uses: actions/checkout@{SHA}  # v4.2.2
      - run: make lint
  test:
    runs-on: ubuntu-24.04
    timeout-minutes: 10
    steps:
      - run: make test
  build:
    runs-on: ubuntu-24.04
    timeout-minutes: 10
    steps:
      - run: make build
"""

DOCKERFILE = """\
FROM python:3.12-slim AS build
RUN pip wheel -w /wheels .

FROM python:3.12-slim
COPY --from=build /wheels /wheels
USER 10001:10001
HEALTHCHECK CMD ["python", "-c", "print(1)"]
CMD ["python", "-m", "app"]
"""

VERSIONS_TF = """\
terraform {
  required_version = ">= 1.6, < 2.0"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.0"
    }
  }
  backend "s3" {
    encrypt      = true
    use_lockfile = true
  }
}
"""

MAIN_TF = """\
locals {
  tags = {
    owner       = var.owner
    service     = "payments-api"
    environment = var.environment
    cost_center = "cc-1"
  }
}

provider "aws" {
  region = "eu-west-1"
  default_tags {
    tags = local.tags
  }
}

module "vpc" {
  source  = "terraform-aws-modules/vpc/aws"
  version = "5.8.1"
}
"""

VARIABLES_TF = """\
variable "owner" {
  type        = string
  description = "Owning team."
}

variable "environment" {
  type        = string
  description = "Environment name."
}
"""

DEPLOYMENT = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: payments-api
spec:
  replicas: 2
  selector:
    matchLabels:
      app: payments-api
  template:
    metadata:
      labels:
        app: payments-api
    spec:
      securityContext:
        runAsNonRoot: true
        seccompProfile:
          type: RuntimeDefault
      containers:
        - name: app
          image: ghcr.io/acme/payments-api:1.0.0
          ports:
            - containerPort: 8080
          resources:
            requests:
              cpu: 100m
              memory: 128Mi
            limits:
              cpu: 500m
              memory: 256Mi
          livenessProbe:
            httpGet: {path: /healthz, port: 8080}
          readinessProbe:
            httpGet: {path: /readyz, port: 8080}
          securityContext:
            allowPrivilegeEscalation: false
            readOnlyRootFilesystem: true
            capabilities:
              drop: [ALL]
"""

PDB = """\
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: payments-api
spec:
  minAvailable: 1
  selector:
    matchLabels:
      app: payments-api
---
apiVersion: monitoring.coreos.com/v1
kind: ServiceMonitor
metadata:
  name: payments-api
spec:
  endpoints:
    - port: http
"""

ALERTS = """\
groups:
  - name: payments-api-slo
    rules:
      - record: job:slo_errors:ratio_rate5m
        expr: sum(rate(errors[5m])) / sum(rate(requests[5m]))
      - alert: PaymentsApiErrorBudgetBurnFast
        expr: job:slo_errors:ratio_rate1h > (14.4 * 0.001) and job:slo_errors:ratio_rate5m > (14.4 * 0.001)
        for: 2m
        labels:
          severity: page
        annotations:
          summary: The error budget burns fast.
          runbook_url: https://github.com/acme/payments-api/blob/main/docs/runbook.md#burn
"""

CATALOG = """\
apiVersion: backstage.io/v1alpha1
kind: Component
metadata:
  name: payments-api
spec:
  type: service
  lifecycle: production
  owner: team-payments
  system: payments
"""

GITLAB_CI = """\
default:
  interruptible: true
  timeout: 15 minutes
  image: python:3.12-slim-bookworm
lint:
  script: [make lint]
test:
  image:
    name: python:3.12-slim-bookworm
  services:
    - postgres:16.4
  script: [make test]
build:
  script: [make build]
.template:
  image: python
"""

JENKINSFILE = """\
pipeline {
  agent { docker { image 'python:3.12-slim-bookworm' } }
  options { timeout(time: 30, unit: 'MINUTES') }
  stages {
    stage('lint') { steps { sh 'make lint' } }
    stage('test') { options { timeout(time: 10, unit: 'MINUTES') } steps { sh 'make test' } }
    stage('build') { steps { sh "docker build -t image ." } }
  }
}
"""

GOOD: dict[str, str] = {
    ".platctl.yaml": record(),
    "CODEOWNERS": "* @acme/team-payments\n",
    "catalog-info.yaml": CATALOG,
    "SECURITY.md": "# Security\n",
    ".github/workflows/ci.yml": WORKFLOW,
    "Dockerfile": DOCKERFILE,
    ".dockerignore": ".git\n",
    "terraform/versions.tf": VERSIONS_TF,
    "terraform/main.tf": MAIN_TF,
    "terraform/variables.tf": VARIABLES_TF,
    "deploy/deployment.yaml": DEPLOYMENT,
    "deploy/pdb.yaml": PDB,
    "observability/slo-rules.yaml": ALERTS,
    "observability/grafana-dashboard.json": '{"uid": "payments-api", "title": "payments-api", "panels": [{}]}\n',
    "docs/runbook.md": "# Runbook\n",
    ".gitlab-ci.yml": GITLAB_CI,
    "Jenkinsfile": JENKINSFILE,
    "src/App.scala": "object App\n",  # application source: the Dockerfile builds a service image, not a base image
}


def write_repo(root: Path, files: dict[str, Optional[str]]) -> Path:
    for path, text in files.items():
        if text is None:
            continue
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    return root


def mutated(changes: dict[str, Optional[str]], base: Optional[dict[str, str]] = None) -> dict[str, Optional[str]]:
    """GOOD with some files replaced (a string) or deleted (None)."""
    return {**(GOOD if base is None else base), **changes}


def check(root: Path, *select: str, **options: object) -> Report:
    return run_doctor([root], DoctorOptions(select=tuple(select) or None, **options))  # type: ignore[arg-type]


def line_of(text: str, marker: str) -> int:
    return next(i for i, line in enumerate(text.splitlines(), start=1) if marker in line)


def codes(findings: tuple[Finding, ...]) -> list[str]:
    return [f.rule for f in findings]


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Callable[..., CliResult]:
    """Run ``platctl`` in-process; the result prints the whole output when an assertion shows it."""

    def invoke(*args: str) -> CliResult:
        return run_cli(capsys, monkeypatch, *args)

    return invoke
