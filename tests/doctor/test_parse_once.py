"""doctor reads each file at most once and parses it at most once per kind, however many rules look at it."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from platctl.doctor import repo as repo_module
from platctl.doctor.api import DoctorOptions, run_doctor


def test_each_file_is_read_and_parsed_once(default_python_service: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    reads: Counter[str] = Counter()
    parses: Counter[tuple[str, str]] = Counter()
    real_read = repo_module.Repo._read_text

    def counting_read(self: repo_module.Repo, path: str) -> Any:
        reads[path] += 1
        return real_read(self, path)

    def counting(kind: str, parser: Any) -> Any:
        def parse(text: str, *args: Any) -> Any:
            parses[(kind, text)] += 1
            return parser(text, *args)

        return parse

    monkeypatch.setattr(repo_module.Repo, "_read_text", counting_read)
    monkeypatch.setattr(repo_module, "_parse_yaml", counting("yaml", repo_module._parse_yaml))
    monkeypatch.setattr(repo_module, "_parse_json", counting("json", repo_module._parse_json))
    monkeypatch.setattr(repo_module, "parse_hcl", counting("hcl", repo_module.parse_hcl))
    monkeypatch.setattr(repo_module, "parse_dockerfile", counting("dockerfile", repo_module.parse_dockerfile))
    report = run_doctor([default_python_service])
    assert report.findings == ()
    assert reads and max(reads.values()) == 1, [p for p, n in reads.items() if n > 1]
    texts = Counter((default_python_service / p).read_text(errors="replace") for p in reads)
    assert parses and all(n <= texts[text] for (kind, text), n in parses.items()), "a file was parsed twice"
    assert {kind for kind, _ in parses} >= {"yaml", "json", "hcl", "dockerfile"}


def test_a_repository_with_no_contract_has_no_source_read_for_one(tmp_path: Path,
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    """OBS009 holds the app's code to its probes, scrapes and alerts; with none of those it reads no code.
    (On a 1,400-file Go repository reading and scanning every source file took 72 ms of a 110 ms run.)"""
    for index in range(40):
        (tmp_path / f"pkg{index}.go").write_text('package main\n\nconst route = "/healthz"\n')
    (tmp_path / "README.md").write_text("# app\n")
    reads: list[str] = []
    real_read = repo_module.Repo._read_text

    def counting_read(self: repo_module.Repo, path: str) -> Any:
        reads.append(path)
        return real_read(self, path)

    monkeypatch.setattr(repo_module.Repo, "_read_text", counting_read)
    run_doctor([tmp_path], DoctorOptions(select=("OBS009",)))
    assert not [p for p in reads if p.endswith(".go")], reads


CRD = ("apiVersion: apiextensions.k8s.io/v1\nkind: CustomResourceDefinition\nmetadata:\n  name: things.example.com\n"
       "spec:\n  groups: [example.com]\n  versions:\n    - name: v1\n      schema:\n        openAPIV3Schema:\n"
       "          description: rules for a Deployment, kind of a Pod\n          properties:\n"
       + "".join(f"            field{i}: {{type: string}}\n" for i in range(200)))
DEPLOYMENT_FLOW = '{"apiVersion": "apps/v1", "kind": "Deployment", "metadata": {"name": "web"}, ' \
                  '"spec": {"template": {"spec": {"containers": [{"name": "web", "image": "web:1"}]}}}}\n'
DEPLOYMENT_CRLF = ("apiVersion: apps/v1\r\nkind: Deployment\r\nmetadata:\r\n  name: api\r\nspec:\r\n  template:\r\n"
                   "    spec:\r\n      containers:\r\n        - name: api\r\n          image: api:1\r\n")
RULES_FLOW = "groups:\n  - name: app\n    rules: [{alert: Down, expr: up == 0, for: 5m}]\n"
RULES_JSON = '# generated\n{"groups": [{"name": "db", "rules": [{"alert": "DbDown", "expr": "up == 0"}]}]}\n'
DEPLOYMENT_JSON = ('{\n  "apiVersion": "apps/v1",\n  "kind": "Deployment",\n  "metadata": {"name": "jobs"},\n'
                   '  "spec": {"template": {"spec": {"containers": [{"name": "jobs", "image": "jobs:1"}]}}}\n}\n')
VALUES = ("image: {tag: 1.2.3}\nworkload:\n  apiVersion: apps/v1\n  kind: Deployment  # or StatefulSet\n"
          "metrics:\n  prometheusRule:\n    enabled: false\n    groups:\n      - name: app\n"
          "        rules:\n          - alert: Down\n            expr: up == 0\n"
          + "".join(f"opt{i}: {{}}\n" for i in range(300)))


def test_a_chart_s_crds_are_not_parsed_but_every_workload_and_rule_file_is(tmp_path: Path,
                                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    """The manifest and rule-file finders skip files that cannot hold what they look for (a CRD is
    hundreds of kilobytes of schema: on prometheus-community/helm-charts parsing them was 0.4 s; a chart's
    values nest a workload kind and rule groups where they are never read), and miss no Deployment or
    rule in flow style, JSON style or with CRLF line ends."""
    (tmp_path / "crds").mkdir()
    (tmp_path / "crds/crd-things.yaml").write_text(CRD)
    (tmp_path / "web.yaml").write_text(DEPLOYMENT_FLOW)
    (tmp_path / "api.yaml").write_bytes(DEPLOYMENT_CRLF.encode())
    (tmp_path / "jobs.yaml").write_text(DEPLOYMENT_JSON)
    (tmp_path / "alerts.yaml").write_text(RULES_FLOW)
    (tmp_path / "db-rules.yaml").write_text(RULES_JSON)
    (tmp_path / "values.yaml").write_text(VALUES)  # a chart's values nest their rule groups: never read
    fixture_rules = RULES_FLOW.replace("name: app", "name: fixture")
    fixture_deployment = DEPLOYMENT_CRLF.replace("name: api", "name: fixture")
    (tmp_path / "testdata").mkdir()
    (tmp_path / "testdata/rules_large.yml").write_text(fixture_rules)  # promtool's own test data
    (tmp_path / "testdata/deployment.yaml").write_text(fixture_deployment)
    parsed: list[str] = []
    real = repo_module._parse_yaml

    def counting(text: str) -> Any:
        parsed.append(text)
        return real(text)

    monkeypatch.setattr(repo_module, "_parse_yaml", counting)
    report = run_doctor([tmp_path], DoctorOptions(select=("K8S001", "OBS003")))
    assert CRD not in parsed and VALUES not in parsed
    assert fixture_rules not in parsed and fixture_deployment not in parsed  # only production paths are read
    flagged = {(f.rule, f.path) for f in report.findings}
    assert {("K8S001", "web.yaml"), ("K8S001", "api.yaml"), ("K8S001", "jobs.yaml")} <= flagged, report.findings
    assert {("OBS003", "alerts.yaml"), ("OBS003", "db-rules.yaml")} <= flagged, flagged  # alerts without severity
