"""Helpers for running real validators against a rendered golden path.

Every helper returns plain data; the tests decide and show the tool's output on failure.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import yaml

from support import require_tool

CHECKOV_VENV = Path(os.environ.get("PLATCTL_CHECKOV_VENV", "/opt/platctl-ci/checkov"))


@dataclass(frozen=True)
class ToolRun:
    command: tuple[str, ...]
    returncode: int
    stdout: str
    stderr: str

    def report(self) -> str:
        """The command and everything it printed, for an assertion message."""
        return f"$ {' '.join(self.command)}\nexit {self.returncode}\n{self.stdout}\n{self.stderr}"


def run_tool(command: Sequence[str | Path], cwd: Path, timeout: int = 300) -> ToolRun:
    args = tuple(str(part) for part in command)
    done = subprocess.run(args, cwd=cwd, capture_output=True, text=True, timeout=timeout, check=False)
    return ToolRun(args, done.returncode, done.stdout, done.stderr)


def checkov_path() -> str:
    """checkov lives in its own venv (it pins a conflicting hcl2); fall back to PATH."""
    candidate = CHECKOV_VENV / "bin" / "checkov"
    if candidate.is_file() and os.access(candidate, os.X_OK):
        return str(candidate)
    return require_tool("checkov")


def kustomize_command() -> list[str]:
    """`kustomize build`, or the copy built into kubectl."""
    if shutil.which("kustomize"):
        return ["kustomize", "build"]
    if shutil.which("kubectl"):
        return ["kubectl", "kustomize"]
    return [require_tool("kustomize"), "build"]


def yaml_documents(path: Path) -> list[Any]:
    return [doc for doc in yaml.safe_load_all(path.read_text()) if doc is not None]


def load_yaml(path: Path) -> Any:
    return yaml.safe_load(path.read_text())


def files(root: Path, pattern: str) -> list[Path]:
    return sorted(p for p in root.glob(pattern) if p.is_file())


def github_anchor(heading: str) -> str:
    """GitHub's heading slug: lowercase, punctuation dropped, spaces to hyphens."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def markdown_anchors(path: Path) -> set[str]:
    headings = re.findall(r"^#{1,6}\s+(.+?)\s*$", path.read_text(), flags=re.MULTILINE)
    return {github_anchor(h) for h in headings}


def workflow_uses(path: Path) -> Iterator[tuple[int, str, str]]:
    """(line number, `uses:` reference, trailing comment) for every step that uses an action."""
    for number, line in enumerate(path.read_text().splitlines(), start=1):
        match = re.match(r"^\s*(?:-\s+)?uses:\s*(\S+)\s*(?:#\s*(.*))?$", line)
        if match:
            yield number, match.group(1), (match.group(2) or "").strip()


def checkov_summaries(stdout: str) -> list[dict[str, Any]]:
    """checkov prints one report object per framework, or a list of them."""
    data = json.loads(stdout)
    reports = data if isinstance(data, list) else [data]
    return [r for r in reports if isinstance(r, dict)]



# ------------------------------------------------------- runs shared by renders


_RUNS: dict[str, ToolRun] = {}
SHARED_RUNS_ENV = "PLATCTL_TEST_SHARED_RUNS"  # set by conftest under pytest-xdist


def input_digest(service: Path, patterns: Sequence[str], *salt: str) -> str:
    """A digest of the files a validator reads (and of how it is called)."""
    import hashlib

    digest = hashlib.sha256("\0".join(salt).encode())
    for path in sorted({p for pattern in patterns for p in service.glob(pattern) if p.is_file()}):
        digest.update(path.relative_to(service).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def run_once_per_input(
    command: Sequence[str | Path], service: Path, inputs: Sequence[str], cwd: Path | None = None, timeout: int = 300
) -> ToolRun:
    """Run an expensive validator once per distinct input: renders whose inputs are byte-identical
    (the Kubernetes manifests of every CI provider, say) share one run and its result."""
    key = input_digest(service, inputs, *(str(part) for part in command), str((cwd or service).relative_to(service)))
    if key not in _RUNS:
        _RUNS[key] = _shared_between_workers(key, lambda: run_tool(command, cwd or service, timeout))
    return _RUNS[key]


def _shared_between_workers(key: str, run: Callable[[], ToolRun]) -> ToolRun:
    """Under pytest-xdist, the first worker to need a run makes it and the others read it."""
    import fcntl

    shared = os.environ.get(SHARED_RUNS_ENV)
    if not shared:
        return run()
    folder = Path(shared)
    folder.mkdir(parents=True, exist_ok=True)
    with (folder / f"{key}.lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        result = folder / f"{key}.json"
        if result.is_file():
            saved = json.loads(result.read_text())
            return ToolRun(tuple(saved["command"]), saved["returncode"], saved["stdout"], saved["stderr"])
        done = run()
        result.write_text(json.dumps(done.__dict__))
        return done


def copy_inputs(service: Path, patterns: Sequence[str], into: Path) -> Path:
    """Copy only the given files of a render, so a tool that scans a directory sees nothing else."""
    for pattern in patterns:
        for path in service.glob(pattern):
            if path.is_file():
                target = into / path.relative_to(service)
                target.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(path, target)
    return into


# ------------------------------------------------------------ CI configurations


def gitlab_jobs(config: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """The jobs of a .gitlab-ci.yml: every top-level mapping that is not a keyword or hidden."""
    keywords = {"default", "include", "stages", "variables", "workflow", "image", "services", "cache", "before_script"}
    return {k: v for k, v in config.items() if k not in keywords and not k.startswith(".") and isinstance(v, dict)}


def image_name(image: Any) -> str:
    return image["name"] if isinstance(image, dict) else str(image)


def is_pinned_image(reference: str) -> bool:
    """name:tag (or @sha256:digest) with a real tag: never untagged, never `latest`."""
    if "@sha256:" in reference:
        return True
    name, _, tag = reference.rpartition(":")
    return bool(name) and "/" not in tag and tag not in ("", "latest")


@dataclass(frozen=True)
class GroovyBlock:
    """One `name(args) { ... }` block of a Jenkinsfile, with the blocks inside it."""

    name: str
    args: str
    children: tuple[GroovyBlock, ...]
    body: str

    def find(self, name: str) -> list[GroovyBlock]:
        found = [c for c in self.children if c.name == name]
        return found + [b for c in self.children for b in c.find(name)]


_GROOVY_TOKEN = re.compile(
    r"""(?P<comment>//[^\n]*|/\*.*?\*/)|(?P<string>'''.*?'''|\"\"\".*?\"\"\"|'(?:\\.|[^'\\])*'|"(?:\\.|[^"\\])*")"""
    r"""|(?P<open>\{)|(?P<close>\})""",
    re.DOTALL,
)


def groovy_outline(text: str) -> GroovyBlock:
    """The block structure of a declarative pipeline. Strings and comments are skipped, so
    braces inside `sh '''...'''` do not count; syntax itself is groovy-parser's job."""
    stack: list[tuple[str, str, list[GroovyBlock], int]] = [("<file>", "", [], 0)]
    last = 0
    for match in _GROOVY_TOKEN.finditer(text):
        if match.lastgroup == "open":
            before = _code_only(text[last : match.start()])
            head = re.search(r"([A-Za-z_]\w*)\s*(\((?:[^()]|\([^()]*\))*\))?\s*$", before)
            name, args = (head.group(1), head.group(2) or "") if head else ("", "")
            stack.append((name, args, [], match.end()))
        elif match.lastgroup == "close":
            name, args, children, start = stack.pop()
            stack[-1][2].append(GroovyBlock(name, args, tuple(children), text[start : match.start()]))
        if match.lastgroup in ("open", "close"):
            last = match.end()
    assert len(stack) == 1, "unbalanced braces"
    return GroovyBlock("<file>", "", tuple(stack[0][2]), text)


def _code_only(text: str) -> str:
    """Text between two braces with comments removed and strings kept (stage('lint') has one)."""
    return re.sub(r"//[^\n]*|/\*.*?\*/", "", text, flags=re.DOTALL)


def groovy_syntax_error(text: str) -> str | None:
    """groovy-parser's verdict on a Jenkinsfile: None when it parses as Groovy 3."""
    parser = pytest.importorskip("groovy_parser.parser", reason="groovy-parser (PyPI) parses Jenkinsfiles offline")
    try:
        parser.parse_groovy_content(text)
    except Exception as error:  # lark raises several unrelated exception types
        return f"{type(error).__name__}: {error}"
    return None


# ======================================================================================
# Checks every golden path built on _shared/service-base must pass. The test modules of
# each golden path import them and provide the fixtures they take: `service` (every choice
# combination) and `github_service`, `gitlab_service`, `jenkins_service` (one render per CI
# provider). Expensive validators whose input no choice changes run once per distinct input.
# ======================================================================================

ENVIRONMENTS = ("dev", "staging", "prod")
KUBERNETES_VERSION = "1.30.0"  # the oldest minor the platform still runs

# Every action the workflows may use, pinned to the commit its release tag points to in the
# action's own repository (golden_paths/_shared/service-base/templates/pins.jinja says how
# each was read); every one runs on node24 or is composite. A SHA not in this table fails
# the pin test.
ACTION_PINS = {
    "actions/checkout": ("3d3c42e5aac5ba805825da76410c181273ba90b1", "v7.0.1"),
    "actions/setup-python": ("5fda3b95a4ea91299a34e894583c3862153e4b97", "v7.0.0"),
    "actions/setup-node": ("820762786026740c76f36085b0efc47a31fe5020", "v7.0.0"),
    "actions/upload-artifact": ("bbbca2ddaa5d8feaa63e36b76fdaad77386f024f", "v7.0.0"),
    "actions/download-artifact": ("3e5f45b2cfb9172054b4087a40e8e0b5a5461e7c", "v8.0.1"),
    "actions/attest-build-provenance": ("a2bbfa25375fe432b6a289bc6b6cd05ecd0c4c32", "v4.1.0"),
    "actions/attest-sbom": ("c604332985a26aa8cf1bdc465b92731239ec6b9e", "v4.1.0"),
    "docker/setup-buildx-action": ("37fe631027851001ddb9b187196cc803df7f5f0e", "v4.3.0"),
    "docker/build-push-action": ("53b7df96c91f9c12dcc8a07bcb9ccacbed38856a", "v7.3.0"),
    "github/codeql-action/upload-sarif": ("8aad20d150bbac5944a9f9d289da16a4b0d87c1e", "v4.36.2"),
    "aws-actions/configure-aws-credentials": ("e6de054238d6b7531b4efff3b6587d9aade6a06c", "v6.2.3"),
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
CHECKOV_INPUTS = ("terraform/**/*", "deploy/**/*", "Dockerfile")
OVERLAY_INPUTS = ("deploy/base/*", "deploy/overlays/**/*")
RULE_INPUTS = ("observability/slo-rules*.yaml",)


def one_per_provider(combos: list[dict[str, Any]], provider: str) -> dict[str, Any]:
    """The first combination with this CI provider: CI files depend on nothing else."""
    return next(c for c in combos if c["ci_provider"] == provider)


def workflows(service: Path) -> list[Path]:
    found = files(service, ".github/workflows/*.yml")
    assert found, "the github CI provider renders .github/workflows/*.yml"
    return found


# ------------------------------------------------------------------------- YAML


def test_yamllint_passes_with_the_service_config(service: Path) -> None:
    yamllint = require_tool("yamllint")
    run = run_tool([yamllint, "--strict", "-c", ".yamllint.yaml", "."], service)
    assert run.returncode == 0, run.report()


def test_only_the_chosen_ci_provider_is_rendered(service: Path) -> None:
    provider = yaml.safe_load((service / ".platctl.yaml").read_text())["answers"]["ci_provider"]
    present = {
        "github": bool(files(service, ".github/**/*")),
        "gitlab": (service / ".gitlab-ci.yml").is_file(),
        "jenkins": (service / "Jenkinsfile").is_file(),
    }
    assert present == {name: name == provider for name in present}
    readme = (service / "README.md").read_text()
    named = {"github": ".github/workflows/", "gitlab": ".gitlab-ci.yml", "jenkins": "Jenkinsfile"}[provider]
    assert f"`{named}`" in readme, "the README says which CI runs the service"


# ------------------------------------------------------------------ GitHub Actions


def test_actionlint_passes_including_shellcheck_of_run_steps(github_service: Path) -> None:
    actionlint = require_tool("actionlint")
    shellcheck = require_tool("shellcheck")
    run = run_tool([actionlint, "-no-color", f"-shellcheck={shellcheck}", *workflows(github_service)], github_service)
    assert run.returncode == 0, run.report()


@pytest.mark.parametrize("schema", ["vendor.github-workflows", "custom.github-workflows-require-timeout"])
def test_workflows_match_schema(github_service: Path, schema: str) -> None:
    check_jsonschema = require_tool("check-jsonschema")
    run = run_tool([check_jsonschema, "--builtin-schema", schema, *workflows(github_service)], github_service)
    assert run.returncode == 0, run.report()


def test_dependabot_config_matches_schema(github_service: Path) -> None:
    check_jsonschema = require_tool("check-jsonschema")
    config = github_service / ".github" / "dependabot.yml"
    run = run_tool([check_jsonschema, "--builtin-schema", "vendor.dependabot", config], github_service)
    assert run.returncode == 0, run.report()


def test_every_action_is_pinned_to_a_known_release_sha(github_service: Path) -> None:
    problems = []
    for workflow in workflows(github_service):
        for line, ref, comment in workflow_uses(workflow):
            action, _, sha = ref.partition("@")
            if action.startswith("./"):  # a workflow of the repository itself
                continue
            expected = ACTION_PINS.get(action)
            if expected is None:
                problems.append(f"{workflow.name}:{line}: {action} is not in ACTION_PINS")
            elif (sha, comment) != expected:
                problems.append(f"{workflow.name}:{line}: {ref} # {comment} != {expected}")
    assert not problems, "\n".join(problems)


def test_workflows_follow_the_hardening_rules(github_service: Path) -> None:
    for workflow in workflows(github_service):
        document = load_yaml(workflow)
        assert document["permissions"] == {"contents": "read"}, workflow.name
        if "workflow_call" in document[True]:  # deploy.yml: the job that deploys holds the group
            assert any("group" in job.get("concurrency", {}) for job in document["jobs"].values()), workflow.name
        else:
            assert "group" in document["concurrency"], workflow.name
        for name, job in document["jobs"].items():
            if str(job.get("uses", "")).startswith("./"):  # the called workflow's jobs have timeouts
                continue
            assert isinstance(job.get("timeout-minutes"), int), f"{workflow.name}: {name} has no timeout"
        text = workflow.read_text()
        for match in re.finditer(r"^\s*run:.*\$\{\{\s*github\.event\.", text, flags=re.MULTILINE):
            pytest.fail(f"{workflow.name}: untrusted event data inline in run: {match.group(0)}")


def test_ci_has_a_conformance_job_that_is_never_red_by_default(github_service: Path) -> None:
    ci = load_yaml(github_service / ".github" / "workflows" / "ci.yml")
    assert {"lint", "test", "config-checks", "build", "image-test", "image-scan", "conformance"} <= set(ci["jobs"])
    steps = ci["jobs"]["conformance"]["steps"]
    assert any("::notice title=platctl conformance is off::" in s.get("run", "") for s in steps)


def test_deploy_uses_oidc_never_stored_keys(github_service: Path) -> None:
    deploy = github_service / ".github" / "workflows" / "deploy.yml"
    publish = load_yaml(deploy)["jobs"]["publish"]
    assert publish["permissions"]["id-token"] == "write"
    assert publish["environment"] == "${{ inputs.environment }}", "the role trusts repo:...:environment:<env>"
    login = next(s for s in publish["steps"] if "configure-aws-credentials" in s.get("uses", ""))
    assert "role-to-assume" in login["with"]
    assert "aws-access-key-id" not in deploy.read_text()


# ----------------------------------------------------------------------- GitLab CI


def test_gitlab_ci_matches_the_gitlab_schema(gitlab_service: Path) -> None:
    check_jsonschema = require_tool("check-jsonschema")
    run = run_tool([check_jsonschema, "--builtin-schema", "vendor.gitlab-ci", ".gitlab-ci.yml"], gitlab_service)
    assert run.returncode == 0, run.report()


def test_gitlab_ci_has_the_stages_rules_and_pinned_images(gitlab_service: Path) -> None:
    config = load_yaml(gitlab_service / ".gitlab-ci.yml")
    assert config["stages"][:4] == ["lint", "test", "build", "scan"]
    assert config["default"]["interruptible"] is True and "timeout" in config["default"]
    conditions = [rule["if"] for rule in config["workflow"]["rules"]]
    assert '$CI_PIPELINE_SOURCE == "merge_request_event"' in conditions
    assert "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH" in conditions
    jobs = gitlab_jobs(config)
    assert {job["stage"] for job in jobs.values()} >= {"lint", "test", "build", "scan"}
    for name, job in jobs.items():
        assert is_pinned_image(image_name(job["image"])), f"{name}: image {job['image']} is not pinned"
        assert job["stage"] in config["stages"], name


def test_gitlab_ci_conformance_is_a_green_notice_by_default(gitlab_service: Path) -> None:
    jobs = gitlab_jobs(load_yaml(gitlab_service / ".gitlab-ci.yml"))
    conformance = jobs["conformance"]
    assert conformance["stage"] == "lint" and conformance["allow_failure"] is False
    assert any("platctl conformance is off" in line for line in conformance["script"])


def test_gitlab_deploys_with_oidc_never_stored_keys(gitlab_service: Path) -> None:
    text = (gitlab_service / ".gitlab-ci.yml").read_text()
    config = yaml.safe_load(text)
    jobs = gitlab_jobs(config)
    deploys = {name: job for name, job in jobs.items() if job.get("extends") == ".deploy"}
    assert set(deploys) == {f"{kind}-{env}" for kind in ("publish", "promote") for env in ENVIRONMENTS}
    assert config[".deploy"]["interruptible"] is False
    for name, job in deploys.items():
        rules = job.get("rules", config[".deploy"]["rules"])
        assert rules[-1]["if"] == "$CI_COMMIT_BRANCH == $CI_DEFAULT_BRANCH", name
    for environment in ENVIRONMENTS:
        publish = jobs[f"publish-{environment}"]
        assert publish["id_tokens"]["AWS_ID_TOKEN"]["aud"] == f"sts.amazonaws.com/{environment}"
        assert publish["environment"]["name"] == environment
        assert {"AWS_ROLE_ARN", "AWS_WEB_IDENTITY_TOKEN_FILE"} <= set(publish["variables"])
    assert "AWS_ACCESS_KEY_ID" not in text and "AWS_SECRET_ACCESS_KEY" not in text


# ------------------------------------------------------------------------- Jenkins


def _pipeline(jenkins_service: Path) -> GroovyBlock:
    (pipeline,) = groovy_outline((jenkins_service / "Jenkinsfile").read_text()).find("pipeline")
    return pipeline


def test_jenkinsfile_is_valid_groovy(jenkins_service: Path) -> None:
    """No offline Jenkins linter exists; groovy-parser (an Earley parser, ~10 s a file) checks syntax."""
    error = groovy_syntax_error((jenkins_service / "Jenkinsfile").read_text())
    assert error is None, f"Jenkinsfile is not valid Groovy: {error}"


def test_jenkinsfile_is_a_declarative_pipeline_with_timeouts(jenkins_service: Path) -> None:
    pipeline = _pipeline(jenkins_service)
    assert [c.name for c in pipeline.children][:1] == ["options"]
    # no pipeline-wide agent: each stage takes its own
    assert re.search(r"^\s*agent none\s*$", pipeline.body.split("options {", 1)[0], re.MULTILINE)
    options = pipeline.find("options")[0].body
    assert re.search(r"timeout\(time: \d+, unit: '(MINUTES|HOURS)'\)", options)
    assert "disableConcurrentBuilds" in options
    stages = {s.args.strip("()'"): s for s in pipeline.find("stages")[0].children}
    assert {"lint", "test", "build", "scan"} <= set(stages)
    for name, stage in stages.items():
        assert stage.find("options") and "timeout(" in stage.find("options")[0].body, f"stage {name} has no timeout"


def test_jenkins_agents_are_pinned_images(jenkins_service: Path) -> None:
    pipeline = _pipeline(jenkins_service)
    images = re.findall(r"image\s+'([^']+)'", "".join(d.body for d in pipeline.find("docker")))
    stages = {s.args.strip("()'"): s for s in pipeline.find("stage")}
    assert images and stages["lint"].find("docker") and stages["test"].find("docker")
    for image in images:
        assert is_pinned_image(image), f"agent image {image} is not pinned"


def test_jenkins_conformance_is_a_notice_by_default(jenkins_service: Path) -> None:
    pipeline = _pipeline(jenkins_service)
    conformance = next(s for s in pipeline.find("stage") if s.args == "('conformance')")
    assert "platctl conformance is off" in conformance.body and "sh " not in conformance.body


def test_jenkins_deploys_with_oidc_never_stored_keys(jenkins_service: Path) -> None:
    pipeline = _pipeline(jenkins_service)
    for environment in ENVIRONMENTS:
        publish = next(s for s in pipeline.find("stage") if s.args == f"('publish-{environment}')")
        assert "branch 'main'" in publish.find("when")[0].body
        assert "variable: 'AWS_WEB_IDENTITY_TOKEN_FILE'" in publish.body and "variable: 'AWS_ROLE_ARN'" in publish.body
    text = (jenkins_service / "Jenkinsfile").read_text()
    assert "AWS_ACCESS_KEY_ID" not in text and "AWS_SECRET_ACCESS_KEY" not in text


# -------------------------------------------------------------------- container


def test_hadolint_passes(service: Path) -> None:
    hadolint = require_tool("hadolint")
    run = run_once_per_input([hadolint, "--failure-threshold", "info", "Dockerfile"], service, ["Dockerfile"])
    assert run.returncode == 0, run.report()


# ---------------------------------------------------------------- observability


def test_promtool_check_rules(service: Path) -> None:
    promtool = require_tool("promtool")
    run = run_once_per_input([promtool, "check", "rules", "observability/slo-rules.yaml"], service, RULE_INPUTS)
    assert run.returncode == 0, run.report()


def test_promtool_unit_tests_fire_and_stay_quiet(service: Path) -> None:
    promtool = require_tool("promtool")
    observability = service / "observability"
    run = run_once_per_input([promtool, "test", "rules", "slo-rules.test.yaml"], service, RULE_INPUTS, observability)
    assert run.returncode == 0, run.report()


def test_every_alert_is_labelled_and_links_to_its_runbook_section(service: Path) -> None:
    rules = load_yaml(service / "observability" / "slo-rules.yaml")
    anchors = markdown_anchors(service / "docs" / "runbook.md")
    alerts = [r for g in rules["groups"] for r in g["rules"] if "alert" in r]
    assert len(alerts) >= 4
    for group in rules["groups"]:
        assert "labels" not in group, "promtool 2.42 rejects group-level labels"
    for alert in alerts:
        assert {"severity", "service", "team"} <= set(alert["labels"]), alert["alert"]
        assert {"summary", "description", "runbook_url", "dashboard_url"} <= set(alert["annotations"])
        anchor = alert["annotations"]["runbook_url"].rpartition("#")[2]
        assert anchor in anchors, f"{alert['alert']}: docs/runbook.md has no section #{anchor}"


def test_burn_rate_alerts_follow_the_sre_workbook_table(service: Path) -> None:
    rules = load_yaml(service / "observability" / "slo-rules.yaml")
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


def test_grafana_dashboard_shows_red_with_a_stable_uid(service: Path) -> None:
    dashboard = json.loads((service / "observability" / "grafana-dashboard.json").read_text())
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


def test_no_undeployed_collector_config_is_shipped(service: Path) -> None:
    """The pods export to the platform's collector; a per-service collector config nothing deploys misleads."""
    assert not (service / "observability" / "otel-collector.yaml").exists()
    deployment = load_yaml(service / "deploy" / "base" / "deployment.yaml")
    env = {e["name"]: e.get("value") for e in deployment["spec"]["template"]["spec"]["containers"][0]["env"]}
    assert env["OTEL_EXPORTER_OTLP_ENDPOINT"].startswith("http://otel-collector.observability.svc")
    assert "team=team-payments" in env["OTEL_RESOURCE_ATTRIBUTES"]


def test_slis_leave_probes_and_scrapes_out_and_latency_and_absence_alert(service: Path) -> None:
    rules = load_yaml(service / "observability" / "slo-rules.yaml")
    recorded = [r for g in rules["groups"] for r in g["rules"] if "record" in r]
    for rule in recorded:
        for selector in re.findall(
            r"(?:http_requests_total|http_request_duration_seconds_\w+)\{([^}]*)\}", rule["expr"]
        ):
            assert 'route!~"/healthz|/readyz|/metrics"' in selector, rule["record"]
    alerts = {r["alert"]: r for g in rules["groups"] for r in g["rules"] if "alert" in r}
    assert {"LatencyBudgetBurn1h5m", "LatencyBudgetBurn6h30m", "LatencyBudgetBurn1d2h", "LatencyBudgetBurn3d6h"} <= set(
        alerts
    )
    assert alerts["TargetAbsent"]["expr"].strip() == 'absent(up{job="payments-api"})'
    tests = (service / "observability" / "slo-rules.test.yaml").read_text()
    assert 'route="/readyz",status_code="200"' in tests and 'route="/metrics"' in tests


def test_prometheus_operator_loads_the_same_rules(service: Path) -> None:
    answers = yaml.safe_load((service / ".platctl.yaml").read_text())["answers"]
    release = answers.get("prometheus_release", "kube-prometheus-stack")
    rule = load_yaml(service / "deploy" / "base" / "prometheusrule.yaml")
    monitor = load_yaml(service / "deploy" / "base" / "servicemonitor.yaml")
    assert rule["kind"] == "PrometheusRule" and rule["metadata"]["labels"]["release"] == release
    assert monitor["metadata"]["labels"]["release"] == release
    assert rule["spec"]["groups"] == load_yaml(service / "observability" / "slo-rules.yaml")["groups"]
    resources = load_yaml(service / "deploy" / "base" / "kustomization.yaml")["resources"]
    assert {"prometheusrule.yaml", "servicemonitor.yaml", "namespace.yaml", "ingress.yaml", "secretstore.yaml"} <= set(
        resources
    )


def test_shutdown_drains_within_the_grace_period(service: Path) -> None:
    pod = load_yaml(service / "deploy" / "base" / "deployment.yaml")["spec"]["template"]["spec"]
    container = pod["containers"][0]
    env = {e["name"]: e.get("value") for e in container["env"]}
    pause = container["lifecycle"]["preStop"]["sleep"]["seconds"]
    drain, in_flight = float(env["SHUTDOWN_DRAIN_SECONDS"]), float(env["SHUTDOWN_TIMEOUT_SECONDS"])
    assert pause > 0 and drain > 0 and in_flight > 0
    assert pause + drain + in_flight < pod["terminationGracePeriodSeconds"]
    assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"


def test_secrets_are_read_as_the_services_own_role_and_required(service: Path) -> None:
    answers = yaml.safe_load((service / ".platctl.yaml").read_text())["answers"]
    for environment in ENVIRONMENTS:
        build = built_overlay(service, environment)
        assert build.returncode == 0, build.report()
        documents = {d["kind"]: d for d in yaml.safe_load_all(build.stdout) if d}
        account = answers.get(f"aws_account_id_{environment}")
        role = documents["ServiceAccount"]["metadata"]["annotations"]["eks.amazonaws.com/role-arn"]
        assert re.fullmatch(rf"arn:aws[-a-z]*:iam::\d{{12}}:role/payments-api-{environment}-workload", role), role
        if account:
            assert f"::{account}:" in role
        store = documents["SecretStore"]
        assert store["spec"]["provider"]["aws"]["auth"]["jwt"]["serviceAccountRef"]["name"] == "payments-api"
        assert documents["ExternalSecret"]["spec"]["secretStoreRef"] == {"kind": "SecretStore", "name": "payments-api"}
        volumes = {v["name"]: v for v in documents["Deployment"]["spec"]["template"]["spec"]["volumes"]}
        assert volumes["runtime-secrets"]["secret"]["optional"] is False
        namespace = documents["Namespace"]["metadata"]["labels"]
        assert namespace["pod-security.kubernetes.io/enforce"] == "restricted"
        host = documents["Ingress"]["spec"]["rules"][0]["host"]
        assert host.startswith("payments-api.") and (environment in host) == (environment != "prod")
        egress = documents["NetworkPolicy"]["spec"]["egress"]
        assert any(p["port"] == 443 for rule in egress for p in rule.get("ports", []))
    tfvars = (service / "terraform" / "environments" / "prod.tfvars").read_text()
    assert re.search(r'^aws_account_id\s*=\s*"\d{12}"', tfvars, flags=re.MULTILINE)
    main = (service / "terraform" / "main.tf").read_text()
    assert "allowed_account_ids = [var.aws_account_id]" in main
    assert 'resource "aws_secretsmanager_secret_policy" "runtime"' in main


# ------------------------------------------------------------------- kubernetes


def built_overlay(service: Path, environment: str) -> ToolRun:
    return run_once_per_input([*kustomize_command(), f"deploy/overlays/{environment}"], service, OVERLAY_INPUTS)


@pytest.mark.parametrize("environment", ENVIRONMENTS)
def test_kubernetes_validate_on_each_built_overlay(service: Path, environment: str) -> None:
    validator = require_tool("kubernetes-validate")
    build = built_overlay(service, environment)
    assert build.returncode == 0, build.report()
    manifest = service.parent / f"k8s-{environment}.yaml"
    manifest.write_text(build.stdout)
    run = run_once_per_input(
        [validator, "--strict", "-k", KUBERNETES_VERSION, manifest.name], service.parent, [manifest.name]
    )
    assert run.returncode == 0, run.report()
    kinds = {d["kind"] for d in yaml_documents(manifest)}
    expected = {"Deployment", "Service", "ServiceAccount", "HorizontalPodAutoscaler", "PodDisruptionBudget"}
    assert expected | {"NetworkPolicy", "ServiceMonitor", "ExternalSecret"} <= kinds
    assert {"Namespace", "Ingress", "PrometheusRule", "SecretStore"} <= kinds


def test_kubernetes_validate_on_argocd_applications(service: Path) -> None:
    validator = require_tool("kubernetes-validate")
    apps = files(service, "deploy/argocd/*.yaml")
    assert [a.stem for a in apps] == sorted(ENVIRONMENTS)
    command = [validator, "--strict", "-k", KUBERNETES_VERSION, *(a.relative_to(service) for a in apps)]
    run = run_once_per_input(command, service, ["deploy/argocd/*.yaml"])
    assert run.returncode == 0, run.report()
    for app in apps:
        spec = load_yaml(app)["spec"]
        assert spec["source"]["path"] == f"deploy/overlays/{app.stem}"


def test_overlays_are_isolated_from_each_other(service: Path) -> None:
    keys = set()
    for environment in ENVIRONMENTS:
        build = built_overlay(service, environment)
        assert build.returncode == 0, build.report()
        documents = list(yaml.safe_load_all(build.stdout))
        secret = next(d for d in documents if d and d["kind"] == "ExternalSecret")
        keys.add(secret["spec"]["dataFrom"][0]["extract"]["key"])
    assert len(keys) == len(ENVIRONMENTS)


# -------------------------------------------------------------------- terraform


def test_terraform_parses_with_python_hcl2(service: Path) -> None:
    hcl2 = pytest.importorskip("hcl2")
    sources = files(service, "terraform/**/*.tf") + files(service, "terraform/**/*.tfvars")
    assert len(sources) >= 8
    for source in sources:
        with source.open() as handle:
            hcl2.load(handle)


def test_terraform_is_canonically_formatted(service: Path) -> None:
    terraform = shutil.which("terraform")
    if terraform is None:  # no registry ships a current terraform; the machine image may have one
        pytest.skip("terraform is not installed; `terraform fmt -check` is an extra beyond python-hcl2")
    run = run_tool([terraform, "fmt", "-check", "-recursive", "-diff", "terraform"], service)
    assert run.returncode == 0, run.report()


def test_terraform_follows_the_module_conventions(service: Path) -> None:
    hcl2 = pytest.importorskip("hcl2")
    text = {p.name: p.read_text() for p in files(service, "terraform/*.tf")}
    assert re.search(r'required_version\s*=\s*">= 1\.\d+, < 2\.0"', text["versions.tf"])
    assert re.search(r'source\s*=\s*"hashicorp/aws"', text["versions.tf"])
    assert re.search(r"encrypt\s*=\s*true", text["backend.tf"])
    assert re.search(r"use_lockfile\s*=\s*true", text["backend.tf"])
    assert "default_tags" in text["main.tf"]
    for tag in ("owner", "service", "environment", "cost_center"):
        assert re.search(rf"^\s*{tag}\s*=", text["main.tf"], flags=re.MULTILINE), tag
    with (service / "terraform" / "variables.tf").open() as handle:
        variables = hcl2.load(handle)["variable"]
    for block in variables:
        for name, body in block.items():
            assert "type" in body and "description" in body, f"variable {name} needs type and description"
    for environment in ENVIRONMENTS:
        tfvars = (service / "terraform" / "environments" / f"{environment}.tfvars").read_text()
        assert re.search(rf'^environment\s*=\s*"{environment}"', tfvars, flags=re.MULTILINE)
        backend = (service / "terraform" / "environments" / f"{environment}.s3.tfbackend").read_text()
        assert f"/{environment}/terraform.tfstate" in backend


def test_the_deploy_role_trusts_only_the_chosen_ci(service: Path) -> None:
    main = (service / "terraform" / "main.tf").read_text()
    provider = yaml.safe_load((service / ".platctl.yaml").read_text())["answers"]["ci_provider"]
    subject = {
        "github": '"repo:${var.github_repository}:environment:${var.environment}"',
        "gitlab": '"project_path:${var.gitlab_project}:ref_type:branch:ref:main"',
        "jenkins": '"${var.jenkins_url}/job/${var.service_name}/job/main/"',
    }
    for name, value in subject.items():
        assert (value in main) == (name == provider), f"{name} trust in a {provider} service"
    assert main.count(':aud"') >= 2 and "sts.amazonaws.com" in main


# ---------------------------------------------------------------------- checkov


def test_checkov_passes_with_documented_skips(service: Path) -> None:
    checkov = checkov_path()
    scan = service.parent / f"checkov-{input_digest(service, CHECKOV_INPUTS)[:16]}"
    if not scan.exists():
        copy_inputs(service, CHECKOV_INPUTS, scan)
    command = [
        checkov, "-d", ".", "--skip-download", "--framework", "terraform", "kubernetes", "dockerfile",
        "-o", "json", "--quiet", "--compact", "--skip-check", ",".join(sorted(CHECKOV_SKIPS)),
    ]  # fmt: skip
    run = run_once_per_input(command, scan, ["**/*"], timeout=600)
    summaries = {r["check_type"]: r["summary"] for r in checkov_summaries(run.stdout)}
    assert set(summaries) == {"terraform", "kubernetes", "dockerfile"}, run.report()
    for framework, summary in summaries.items():
        assert summary["parsing_errors"] == 0, f"{framework}: checkov could not parse files\n{run.report()}"
        assert summary["resource_count"] > 0, framework
    assert run.returncode == 0, run.report()


def test_every_checkov_skip_has_a_reason(service: Path) -> None:
    for check_id, reason in CHECKOV_SKIPS.items():
        assert re.fullmatch(r"CKV2?_[A-Z0-9]+_\d+", check_id) and len(reason) > 40
    for source in files(service, "terraform/*.tf"):
        for skip in re.findall(r"#\s*checkov:skip=([^\n]*)", source.read_text()):
            check_id, _, reason = skip.partition(":")
            assert reason.strip(), f"{source.name}: checkov:skip={check_id} has no reason"


# ---------------------------------------------------------- catalog and owners


def test_catalog_entry_is_a_complete_backstage_component(service: Path) -> None:
    entity, api = yaml_documents(service / "catalog-info.yaml")
    assert api["kind"] == "API" and api["spec"]["type"] == "openapi"
    assert entity["spec"]["providesApis"] == [api["metadata"]["name"]]
    definition = api["spec"]["definition"]["$text"]
    assert (service / definition).is_file(), definition
    assert entity["apiVersion"] == "backstage.io/v1alpha1" and entity["kind"] == "Component"
    assert re.fullmatch(r"[a-z0-9A-Z]([-_.a-zA-Z0-9]{0,61}[a-zA-Z0-9])?", entity["metadata"]["name"])
    annotations = entity["metadata"]["annotations"]
    slug = {"github.com/project-slug", "gitlab.com/project-slug"} & set(annotations)
    assert len(slug) == 1, annotations
    assert {"backstage.io/techdocs-ref", "grafana/dashboard-selector"} <= set(annotations)
    assert {"type", "lifecycle", "owner", "system"} <= set(entity["spec"])
    assert any("runbook" in link["url"] for link in entity["metadata"]["links"])


def test_catalog_owner_matches_codeowners(service: Path) -> None:
    owner = yaml_documents(service / "catalog-info.yaml")[0]["spec"]["owner"]
    rules = [line.split() for line in (service / "CODEOWNERS").read_text().splitlines()]
    default = next(rule for rule in rules if rule and rule[0] == "*")
    team = default[1].rpartition("/")[2]
    assert team == owner.removeprefix("group:"), f"CODEOWNERS {default[1]} != catalog owner {owner}"


# -------------------------------------------------------------------- conformance


def test_platctl_doctor_finds_nothing_in_a_fresh_service(service: Path) -> None:
    """CI runs `platctl doctor`; a freshly scaffolded service must start clean."""
    import sys

    run = run_tool([sys.executable, "-m", "platctl", "doctor"], service)
    assert run.returncode == 0, run.report()
