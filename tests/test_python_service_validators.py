"""The python-service golden path, rendered for every choice combination, checked by real validators.

Each validator runs once per rendered combination. A missing validator skips locally and
fails under CI=true (see ``require_tool``). Every test asserts on the tool's exit code and
shows its output, so a broken template fails here with the tool's own words.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

import pytest
import yaml

from support import require_tool
from validators_support import (
    checkov_path,
    checkov_summaries,
    files,
    kustomize_command,
    load_yaml,
    markdown_anchors,
    run_tool,
    workflow_uses,
    yaml_documents,
)

pytestmark = pytest.mark.validators

ENVIRONMENTS = ("dev", "staging", "prod")
KUBERNETES_VERSION = "1.30.0"  # the oldest minor the platform still runs

# Every action the workflows may use, pinned to the commit of a real release. Each SHA was
# found with its version comment in at least two independent public workflows; see
# docs/golden-paths/python-service.md. A SHA not in this table fails the pin test.
ACTION_PINS = {
    "actions/checkout": ("11bd71901bbe5b1630ceea73d27597364c9af683", "v4.2.2"),
    "actions/setup-python": ("a26af69be951a213d495a4c3e4e4022e16d87065", "v5.6.0"),
    "actions/upload-artifact": ("ea165f8d65b6e75b540449e92b4886f43607fa02", "v4.6.2"),
    "actions/download-artifact": ("d3f86a106a0bac45b974a628896c90dbdf5c8093", "v4.3.0"),
    "docker/setup-buildx-action": ("b5ca514318bd6ebac0fb2aedd5d36ec1b5c232a2", "v3.10.0"),
    "docker/build-push-action": ("471d1dc4e07e5cdedd4c2171150001c434f0b7a4", "v6.15.0"),
    "aquasecurity/trivy-action": ("ed142fd0673e97e23eac54620cfb913e5ce36c25", "v0.36.0"),
    "github/codeql-action/upload-sarif": ("5d4e8d1aca955e8d8589aabd499c5cae939e33c7", "v4.31.9"),
    "aws-actions/configure-aws-credentials": ("e3dd6a429d7300a6a4c196c26e071d42e0343502", "v4.0.2"),
    "aws-actions/amazon-ecr-login": ("062b18b96a7aff071d4dc91bc00c4c1a7945b076", "v2.0.1"),
}

# checkov checks skipped for the whole service, each with its reason. Scoped exceptions
# live next to the resource as `#checkov:skip=ID:reason` comments instead.
CHECKOV_SKIPS = {
    "CKV_K8S_14": "the base image carries no tag on purpose: the deploy workflow pins every overlay "
    "to the pushed image digest (`kustomize edit set image name@sha256:...`)",
    "CKV_K8S_43": "same as CKV_K8S_14: the digest exists only after the first push, and the deploy "
    "workflow writes it into the overlay Argo CD syncs",
    "CKV2_AWS_57": "the runtime secret holds credentials issued by third parties; rotation needs a "
    "rotation Lambda specific to each credential, which the team adds when it stores one",
}


def _workflows(service: Path) -> list[Path]:
    workflows = files(service, ".github/workflows/*.yml")
    assert workflows, "the github CI provider renders .github/workflows/*.yml"
    return workflows


# ------------------------------------------------------------------ YAML and CI


def test_yamllint_passes_with_the_service_config(python_service: Path) -> None:
    yamllint = require_tool("yamllint")
    run = run_tool([yamllint, "--strict", "-c", ".yamllint.yaml", "."], python_service)
    assert run.returncode == 0, run.report()


def test_actionlint_passes_including_shellcheck_of_run_steps(python_service: Path) -> None:
    actionlint = require_tool("actionlint")
    shellcheck = require_tool("shellcheck")
    workflows = _workflows(python_service)
    run = run_tool([actionlint, "-no-color", f"-shellcheck={shellcheck}", *workflows], python_service)
    assert run.returncode == 0, run.report()


@pytest.mark.parametrize("schema", ["vendor.github-workflows", "custom.github-workflows-require-timeout"])
def test_workflows_match_schema(python_service: Path, schema: str) -> None:
    check_jsonschema = require_tool("check-jsonschema")
    run = run_tool([check_jsonschema, "--builtin-schema", schema, *_workflows(python_service)], python_service)
    assert run.returncode == 0, run.report()


def test_dependabot_config_matches_schema_and_covers_every_ecosystem(python_service: Path) -> None:
    check_jsonschema = require_tool("check-jsonschema")
    config = python_service / ".github" / "dependabot.yml"
    run = run_tool([check_jsonschema, "--builtin-schema", "vendor.dependabot", config], python_service)
    assert run.returncode == 0, run.report()
    ecosystems = {u["package-ecosystem"] for u in load_yaml(config)["updates"]}
    assert ecosystems == {"pip", "docker", "github-actions", "terraform"}


def test_every_action_is_pinned_to_a_known_release_sha(python_service: Path) -> None:
    problems = []
    for workflow in _workflows(python_service):
        for line, ref, comment in workflow_uses(workflow):
            action, _, sha = ref.partition("@")
            expected = ACTION_PINS.get(action)
            if expected is None:
                problems.append(f"{workflow.name}:{line}: {action} is not in ACTION_PINS")
            elif (sha, comment) != expected:
                problems.append(f"{workflow.name}:{line}: {ref} # {comment} != {expected}")
    assert not problems, "\n".join(problems)


def test_workflows_follow_the_hardening_rules(python_service: Path) -> None:
    for workflow in _workflows(python_service):
        document = load_yaml(workflow)
        assert document["permissions"] == {"contents": "read"}, workflow.name
        assert "group" in document["concurrency"], workflow.name
        for name, job in document["jobs"].items():
            assert isinstance(job.get("timeout-minutes"), int), f"{workflow.name}: {name} has no timeout"
        text = workflow.read_text()
        for match in re.finditer(r"^\s*run:.*\$\{\{\s*github\.event\.", text, flags=re.MULTILINE):
            pytest.fail(f"{workflow.name}: untrusted event data inline in run: {match.group(0)}")


def test_ci_runs_doctor_and_uploads_sarif(python_service: Path) -> None:
    ci = load_yaml(python_service / ".github" / "workflows" / "ci.yml")
    assert {"lint", "test", "build", "image-scan", "conformance"} <= set(ci["jobs"])
    steps = ci["jobs"]["conformance"]["steps"]
    assert any("platctl doctor --format sarif --output platctl.sarif" in s.get("run", "") for s in steps)
    assert any(s.get("uses", "").startswith("github/codeql-action/upload-sarif@") for s in steps)
    assert ci["jobs"]["conformance"]["permissions"]["security-events"] == "write"


def test_deploy_uses_oidc_never_stored_keys(python_service: Path) -> None:
    deploy = python_service / ".github" / "workflows" / "deploy.yml"
    publish = load_yaml(deploy)["jobs"]["publish"]
    assert publish["permissions"]["id-token"] == "write"
    login = next(s for s in publish["steps"] if "configure-aws-credentials" in s.get("uses", ""))
    assert "role-to-assume" in login["with"]
    assert "aws-access-key-id" not in deploy.read_text()


# ----------------------------------------------------------------- python code


def test_generated_python_passes_the_services_own_ruff_config(python_service: Path) -> None:
    ruff = require_tool("ruff")
    check = run_tool([ruff, "check", "--no-cache", "."], python_service)
    assert check.returncode == 0, check.report()
    formatted = run_tool([ruff, "format", "--no-cache", "--check", "--diff", "."], python_service)
    assert formatted.returncode == 0, formatted.report()


# -------------------------------------------------------------------- container


def test_hadolint_passes(python_service: Path) -> None:
    hadolint = require_tool("hadolint")
    run = run_tool([hadolint, "--failure-threshold", "info", "Dockerfile"], python_service)
    assert run.returncode == 0, run.report()


# ---------------------------------------------------------------- observability


def test_promtool_check_rules(python_service: Path) -> None:
    promtool = require_tool("promtool")
    run = run_tool([promtool, "check", "rules", "observability/slo-rules.yaml"], python_service)
    assert run.returncode == 0, run.report()


def test_promtool_unit_tests_fire_and_stay_quiet(python_service: Path) -> None:
    promtool = require_tool("promtool")
    run = run_tool([promtool, "test", "rules", "slo-rules.test.yaml"], python_service / "observability")
    assert run.returncode == 0, run.report()


def test_every_alert_is_labelled_and_links_to_its_runbook_section(python_service: Path) -> None:
    rules = load_yaml(python_service / "observability" / "slo-rules.yaml")
    anchors = markdown_anchors(python_service / "docs" / "runbook.md")
    alerts = [r for g in rules["groups"] for r in g["rules"] if "alert" in r]
    assert len(alerts) >= 4
    for group in rules["groups"]:
        assert "labels" not in group, "promtool 2.42 rejects group-level labels"
    for alert in alerts:
        assert {"severity", "service", "team"} <= set(alert["labels"]), alert["alert"]
        assert {"summary", "description", "runbook_url", "dashboard_url"} <= set(alert["annotations"])
        anchor = alert["annotations"]["runbook_url"].rpartition("#")[2]
        assert anchor in anchors, f"{alert['alert']}: docs/runbook.md has no section #{anchor}"


def test_burn_rate_alerts_follow_the_sre_workbook_table(python_service: Path) -> None:
    rules = load_yaml(python_service / "observability" / "slo-rules.yaml")
    alerts = {r["alert"]: r for g in rules["groups"] for r in g["rules"] if "alert" in r}
    budget = 1 - 99.9 / 100  # the fixture renders the default slo_availability
    for name, factor, severity in [
        ("ErrorBudgetBurn1h5m", 14.4, "page"),
        ("ErrorBudgetBurn6h30m", 6, "page"),
        ("ErrorBudgetBurn1d2h", 3, "ticket"),
        ("ErrorBudgetBurn3d6h", 1, "ticket"),
    ]:
        thresholds = [float(t) for t in re.findall(r">\s*([0-9.e-]+)", alerts[name]["expr"])]
        assert thresholds == [pytest.approx(factor * budget)] * 2, name
        assert alerts[name]["labels"]["severity"] == severity


def test_grafana_dashboard_shows_red_with_a_stable_uid(python_service: Path) -> None:
    dashboard = json.loads((python_service / "observability" / "grafana-dashboard.json").read_text())
    assert re.fullmatch(r"[A-Za-z0-9_-]{1,40}", dashboard["uid"])
    assert dashboard["tags"] and dashboard["title"]
    variables = {v["name"] for v in dashboard["templating"]["list"]}
    assert {"datasource", "job"} <= variables
    queries = " ".join(t["expr"] for p in dashboard["panels"] for t in p.get("targets", []))
    assert "rate(http_requests_total" in queries  # rate
    assert 'status_code=~"5.."' in queries  # errors
    for quantile in ("0.50", "0.95", "0.99"):  # duration
        assert f"histogram_quantile({quantile}" in queries
    assert '"payments-api"' not in queries, "queries must use $job, not a hard-coded name"
    for panel in dashboard["panels"]:
        assert panel["datasource"]["uid"] == "${datasource}", panel["title"]


def test_otel_collector_config_has_complete_pipelines(python_service: Path) -> None:
    config = load_yaml(python_service / "observability" / "otel-collector.yaml")
    assert set(config["receivers"]["otlp"]["protocols"]) == {"grpc", "http"}
    assert {"batch", "memory_limiter"} <= set(config["processors"])
    pipelines = config["service"]["pipelines"]
    assert "traces" in pipelines
    for name, pipeline in pipelines.items():
        assert pipeline["processors"][0] == "memory_limiter", f"{name}: memory_limiter must run first"
        assert pipeline["processors"][-1] == "batch", f"{name}: batch must run last"
        for kind in ("receivers", "processors", "exporters"):
            undefined = set(pipeline[kind]) - set(config[kind])
            assert not undefined, f"{name} uses undefined {kind}: {undefined}"
    assert set(config["service"].get("extensions", [])) <= set(config.get("extensions", {}))


# ------------------------------------------------------------------- kubernetes


@pytest.mark.parametrize("environment", ENVIRONMENTS)
def test_kubernetes_validate_on_each_built_overlay(python_service: Path, environment: str) -> None:
    validator = require_tool("kubernetes-validate")
    build = run_tool([*kustomize_command(), f"deploy/overlays/{environment}"], python_service)
    assert build.returncode == 0, build.report()
    manifest = python_service.parent / f"k8s-{python_service.name}-{environment}.yaml"
    manifest.write_text(build.stdout)
    run = run_tool([validator, "--strict", "-k", KUBERNETES_VERSION, manifest], python_service)
    assert run.returncode == 0, run.report()
    kinds = {d["kind"] for d in yaml_documents(manifest)}
    expected = {"Deployment", "Service", "ServiceAccount", "HorizontalPodAutoscaler", "PodDisruptionBudget"}
    assert expected | {"NetworkPolicy", "ServiceMonitor", "ExternalSecret"} <= kinds


def test_kubernetes_validate_on_argocd_applications(python_service: Path) -> None:
    validator = require_tool("kubernetes-validate")
    apps = files(python_service, "deploy/argocd/*.yaml")
    assert [a.stem for a in apps] == sorted(ENVIRONMENTS)
    run = run_tool([validator, "--strict", "-k", KUBERNETES_VERSION, *apps], python_service)
    assert run.returncode == 0, run.report()
    for app in apps:
        spec = load_yaml(app)["spec"]
        assert spec["source"]["path"] == f"deploy/overlays/{app.stem}"


def test_overlays_are_isolated_from_each_other(python_service: Path) -> None:
    keys = set()
    for environment in ENVIRONMENTS:
        build = run_tool([*kustomize_command(), f"deploy/overlays/{environment}"], python_service)
        assert build.returncode == 0, build.report()
        documents = list(yaml.safe_load_all(build.stdout))
        secret = next(d for d in documents if d and d["kind"] == "ExternalSecret")
        keys.add(secret["spec"]["dataFrom"][0]["extract"]["key"])
    assert len(keys) == len(ENVIRONMENTS)


# -------------------------------------------------------------------- terraform


def test_terraform_parses_with_python_hcl2(python_service: Path) -> None:
    hcl2 = pytest.importorskip("hcl2")
    sources = files(python_service, "terraform/**/*.tf") + files(python_service, "terraform/**/*.tfvars")
    assert len(sources) >= 8
    for source in sources:
        with source.open() as handle:
            hcl2.load(handle)


def test_terraform_is_canonically_formatted(python_service: Path) -> None:
    import shutil

    terraform = shutil.which("terraform")
    if terraform is None:  # no registry ships a current terraform; the machine image may have one
        pytest.skip("terraform is not installed; `terraform fmt -check` is an extra beyond python-hcl2")
    run = run_tool([terraform, "fmt", "-check", "-recursive", "-diff", "terraform"], python_service)
    assert run.returncode == 0, run.report()


def test_terraform_follows_the_module_conventions(python_service: Path) -> None:
    hcl2 = pytest.importorskip("hcl2")
    text = {p.name: p.read_text() for p in files(python_service, "terraform/*.tf")}
    assert re.search(r'required_version\s*=\s*">= 1\.\d+, < 2\.0"', text["versions.tf"])
    assert re.search(r'source\s*=\s*"hashicorp/aws"', text["versions.tf"])
    assert re.search(r"encrypt\s*=\s*true", text["backend.tf"])
    assert re.search(r"use_lockfile\s*=\s*true", text["backend.tf"])
    assert "default_tags" in text["main.tf"]
    for tag in ("owner", "service", "environment", "cost_center"):
        assert re.search(rf"^\s*{tag}\s*=", text["main.tf"], flags=re.MULTILINE), tag
    with (python_service / "terraform" / "variables.tf").open() as handle:
        variables = hcl2.load(handle)["variable"]
    for block in variables:
        for name, body in block.items():
            assert "type" in body and "description" in body, f"variable {name} needs type and description"
    for environment in ENVIRONMENTS:
        tfvars = (python_service / "terraform" / "environments" / f"{environment}.tfvars").read_text()
        assert re.search(rf'^environment\s*=\s*"{environment}"', tfvars, flags=re.MULTILINE)
        backend = (python_service / "terraform" / "environments" / f"{environment}.s3.tfbackend").read_text()
        assert f"/{environment}/terraform.tfstate" in backend


# ---------------------------------------------------------------------- checkov


def test_checkov_passes_with_documented_skips(python_service: Path) -> None:
    checkov = checkov_path()
    command = [
        checkov, "-d", ".", "--skip-download", "--framework", "terraform", "kubernetes", "dockerfile",
        "-o", "json", "--quiet", "--compact", "--skip-check", ",".join(sorted(CHECKOV_SKIPS)),
    ]  # fmt: skip
    run = run_tool(command, python_service, timeout=600)
    summaries = {r["check_type"]: r["summary"] for r in checkov_summaries(run.stdout)}
    assert set(summaries) == {"terraform", "kubernetes", "dockerfile"}, run.report()
    for framework, summary in summaries.items():
        assert summary["parsing_errors"] == 0, f"{framework}: checkov could not parse files\n{run.report()}"
        assert summary["resource_count"] > 0, framework
    assert run.returncode == 0, run.report()


def test_every_checkov_skip_has_a_reason(python_service: Path) -> None:
    for check_id, reason in CHECKOV_SKIPS.items():
        assert re.fullmatch(r"CKV2?_[A-Z0-9]+_\d+", check_id) and len(reason) > 40
    for source in files(python_service, "terraform/*.tf"):
        for skip in re.findall(r"#\s*checkov:skip=([^\n]*)", source.read_text()):
            check_id, _, reason = skip.partition(":")
            assert reason.strip(), f"{source.name}: checkov:skip={check_id} has no reason"


# ---------------------------------------------------------- catalog and owners


def test_catalog_entry_is_a_complete_backstage_component(python_service: Path) -> None:
    entity = load_yaml(python_service / "catalog-info.yaml")
    assert entity["apiVersion"] == "backstage.io/v1alpha1" and entity["kind"] == "Component"
    assert re.fullmatch(r"[a-z0-9A-Z]([-_.a-zA-Z0-9]{0,61}[a-zA-Z0-9])?", entity["metadata"]["name"])
    annotations = entity["metadata"]["annotations"]
    assert {"github.com/project-slug", "backstage.io/techdocs-ref", "grafana/dashboard-selector"} <= set(annotations)
    assert {"type", "lifecycle", "owner", "system"} <= set(entity["spec"])
    assert any("runbook" in link["url"] for link in entity["metadata"]["links"])


def test_catalog_owner_matches_codeowners(python_service: Path) -> None:
    owner = load_yaml(python_service / "catalog-info.yaml")["spec"]["owner"]
    rules = [line.split() for line in (python_service / "CODEOWNERS").read_text().splitlines()]
    default = next(rule for rule in rules if rule and rule[0] == "*")
    team = default[1].rpartition("/")[2]
    assert team == owner.removeprefix("group:"), f"CODEOWNERS {default[1]} != catalog owner {owner}"


# -------------------------------------------------------------------- conformance


def test_platctl_doctor_finds_nothing_in_a_fresh_service(python_service: Path) -> None:
    """CI runs `platctl doctor`; a freshly scaffolded service must start clean."""
    run = run_tool([sys.executable, "-m", "platctl", "doctor"], python_service)
    assert run.returncode == 0, run.report()
