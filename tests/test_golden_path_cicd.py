"""The generated CI/CD of both golden paths, read as a platform engineer reviews it.

Day one: the conformance step never needs a package no index serves, and is a green,
visible notice until the platform team publishes platctl's action, image or component.
Releases: a deploy follows a green CI of the same commit, the image is built once and its
digest (never a tag, never a rebuild) is promoted dev -> staging -> prod by pull or merge
request from the current head, never by a push to main. Jenkins keeps the approval's hour,
lets a deploy on main finish and never runs git as root in the workspace.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from support import render, require_tool
from validators_support import (
    ENVIRONMENTS,
    GroovyBlock,
    gitlab_jobs,
    groovy_outline,
    groovy_syntax_error,
    image_name,
    load_yaml,
    run_tool,
)

GOLDEN_PATHS = ("python-service", "node-service")
ACTION = "acme/platctl@" + "a" * 40
IMAGE = "registry.example.com/platform/platctl@sha256:" + "b" * 64
COMPONENT = "$CI_SERVER_FQDN/platform/platctl/doctor@0.1.0"
PUBLISHED = {"platctl_action": ACTION, "platctl_image": IMAGE, "platctl_gitlab_component": COMPONENT}
ARCHIVED_OR_EOL = ("kaniko", "alpine:3.20", "trivy:0.58", "node:20", "bookworm-slim AS", "amazon-ecr-login")


@pytest.fixture(scope="module")
def renders(tmp_path_factory: pytest.TempPathFactory) -> dict[tuple[str, str, bool], Path]:
    """Every golden path x CI provider, with platctl unpublished (the default) and published."""
    made = {}
    for golden_path in GOLDEN_PATHS:
        for provider in ("github", "gitlab", "jenkins"):
            for published in (False, True):
                answers: dict[str, Any] = {"ci_provider": provider, **(PUBLISHED if published else {})}
                root = tmp_path_factory.mktemp(f"{golden_path}-{provider}-{published}")
                made[(golden_path, provider, published)] = render(root, golden_path, "payments-api", answers)
    return made


def ci_text(service: Path) -> str:
    parts = [p for p in (service / ".github").rglob("*.yml")] if (service / ".github").is_dir() else []
    parts += [p for p in (service / ".gitlab-ci.yml", service / "Jenkinsfile") if p.is_file()]
    return "\n".join(p.read_text() for p in parts)


@pytest.mark.parametrize("golden_path", GOLDEN_PATHS)
@pytest.mark.parametrize("provider", ["github", "gitlab", "jenkins"])
@pytest.mark.parametrize("published", [False, True])
def test_nothing_in_ci_needs_a_package_or_image_that_cannot_be_had(
    renders: dict[tuple[str, str, bool], Path], golden_path: str, provider: str, published: bool
) -> None:
    text = ci_text(renders[(golden_path, provider, published)])
    installs = re.findall(r"(?:pip|npm|apt-get|apk)[^\n]* (?:install|add)[^\n]*", text)
    assert not [line for line in installs if "platctl" in line], "platctl is not on any package index"
    assert not re.search(r"platctl==|PLATCTL_VERSION", text)
    for stale in ARCHIVED_OR_EOL:
        assert stale not in text, f"{stale} is archived or end of life"


# ------------------------------------------------------------------- conformance


def test_github_conformance_is_a_notice_until_the_action_is_published(renders: dict) -> None:
    for golden_path in GOLDEN_PATHS:
        off = load_yaml(renders[(golden_path, "github", False)] / ".github/workflows/ci.yml")["jobs"]["conformance"]
        assert [s for s in off["steps"] if "::notice title=platctl conformance is off::" in s.get("run", "")]
        assert not any("uses" in s for s in off["steps"])
        on = load_yaml(renders[(golden_path, "github", True)] / ".github/workflows/ci.yml")["jobs"]["conformance"]
        assert [s["uses"] for s in on["steps"] if "platctl" in s.get("uses", "")] == [ACTION]
        assert on["permissions"]["security-events"] == "write"


def test_gitlab_conformance_uses_the_component_with_the_image_or_is_a_green_notice(renders: dict) -> None:
    for golden_path in GOLDEN_PATHS:
        off = load_yaml(renders[(golden_path, "gitlab", False)] / ".gitlab-ci.yml")
        job = gitlab_jobs(off)["conformance"]
        assert job["allow_failure"] is False and "platctl conformance is off" in " ".join(job["script"])
        assert "include" not in off
        on = load_yaml(renders[(golden_path, "gitlab", True)] / ".gitlab-ci.yml")
        (include,) = on["include"]
        assert include["component"] == COMPONENT and include["inputs"]["image"] == IMAGE
        assert include["inputs"]["job-name"] == "conformance", "publish-dev needs the conformance job by name"
        assert "conformance" not in gitlab_jobs(on)


def test_gitlab_runs_the_image_alone_when_no_component_is_published(tmp_path: Path) -> None:
    service = render(tmp_path, "python-service", "payments-api", {"ci_provider": "gitlab", "platctl_image": IMAGE})
    job = gitlab_jobs(load_yaml(service / ".gitlab-ci.yml"))["conformance"]
    assert image_name(job["image"]) == IMAGE and job["artifacts"]["reports"]["junit"] == "platctl-junit.xml"


def test_jenkins_conformance_runs_the_image_by_digest_or_echoes_a_notice(renders: dict) -> None:
    for golden_path in GOLDEN_PATHS:
        off = stage(renders[(golden_path, "jenkins", False)], "conformance")
        assert "echo 'NOTICE: platctl conformance is off" in off.body and "sh " not in off.body
        on = stage(renders[(golden_path, "jenkins", True)], "conformance")
        assert f"image '{IMAGE}'" in on.body and "platctl doctor" in on.body


@pytest.mark.parametrize("value", ["acme/platctl@v1", "acme/platctl@" + "a" * 39, "platctl@" + "a" * 40])
def test_an_action_not_pinned_by_commit_sha_is_refused(tmp_path: Path, value: str) -> None:
    from platctl.errors import UserError

    with pytest.raises(UserError, match="platctl_action"):
        render(tmp_path, "python-service", "payments-api", {"ci_provider": "github", "platctl_action": value})


@pytest.mark.parametrize(
    "variable, value",
    [
        ("platctl_image", "registry.example.com/platctl:0.1.0"),
        ("platctl_gitlab_component", "gitlab.com/platform/platctl/doctor@~latest"),
    ],
)
def test_an_image_without_digest_or_component_without_version_is_refused(
    tmp_path: Path, variable: str, value: str
) -> None:
    from platctl.errors import UserError

    with pytest.raises(UserError, match=variable):
        render(tmp_path, "python-service", "payments-api", {"ci_provider": "gitlab", variable: value})


@pytest.mark.parametrize("provider", ["github", "gitlab", "jenkins"])
def test_the_readme_says_whether_conformance_is_on(renders: dict, provider: str) -> None:
    off = (renders[("python-service", provider, False)] / "README.md").read_text()
    assert "Conformance is **off**" in off
    assert ("platctl_action" if provider == "github" else "platctl_image") in off
    on = (renders[("python-service", provider, True)] / "README.md").read_text()
    assert "Conformance is **off**" not in on and (ACTION if provider == "github" else IMAGE) in on


# --------------------------------------------------------------- GitHub releases


def github(service: Path, name: str) -> dict[str, Any]:
    return load_yaml(service / ".github" / "workflows" / name)


def test_github_deploys_only_after_ci_of_the_same_commit(renders: dict) -> None:
    ci = github(renders[("python-service", "github", False)], "ci.yml")
    jobs = ci["jobs"]
    checks = {"lint", "test", "config-checks", "build", "image-test", "image-scan", "conformance", "attest"}
    assert checks <= set(jobs["deploy-dev"]["needs"])
    assert jobs["deploy-dev"]["if"] == "github.event_name == 'push' && github.ref == 'refs/heads/main'"
    assert "build" in jobs["deploy-staging"]["needs"] and "deploy-dev" in jobs["deploy-staging"]["needs"]
    assert "deploy-staging" in jobs["deploy-prod"]["needs"]
    for environment in ENVIRONMENTS:
        call = jobs[f"deploy-{environment}"]
        assert call["uses"] == "./.github/workflows/deploy.yml"
        assert call["with"] == {"environment": environment, "digest": "${{ needs.build.outputs.digest }}"}
    deploy = github(renders[("python-service", "github", False)], "deploy.yml")
    assert set(deploy[True]) == {"workflow_call"}, "deploy.yml runs only when CI calls it"


def test_github_builds_once_and_tests_scans_and_attests_that_image(renders: dict) -> None:
    jobs = github(renders[("node-service", "github", False)], "ci.yml")["jobs"]
    builds = [
        name
        for name, job in jobs.items()
        if any("build-push-action" in s.get("uses", "") for s in job.get("steps", []))
    ]
    assert builds == ["build"]
    build = next(s for s in jobs["build"]["steps"] if "build-push-action" in s.get("uses", ""))
    assert build["with"]["push"] is False and build["with"]["outputs"].startswith("type=oci,")
    assert jobs["image-test"]["needs"] == ["build"] and jobs["image-scan"]["needs"] == ["build"]
    assert "curl --fail" in " ".join(s.get("run", "") for s in jobs["image-test"]["steps"])
    scan = " ".join(s.get("run", "") for s in jobs["image-scan"]["steps"])
    assert '"$TRIVY_IMAGE"' in scan and "--exit-code 1" in scan and "--format cyclonedx" in scan
    attest = [s["uses"].split("@")[0] for s in jobs["attest"]["steps"] if "uses" in s]
    assert {"actions/attest-build-provenance", "actions/attest-sbom"} <= set(attest)
    assert jobs["attest"]["permissions"] == {"contents": "read", "id-token": "write", "attestations": "write"}


def test_github_promotes_the_tested_digest_by_pull_request_from_the_current_head(renders: dict) -> None:
    deploy = renders[("python-service", "github", False)] / ".github" / "workflows" / "deploy.yml"
    jobs = load_yaml(deploy)["jobs"]
    publish = " ".join(s.get("run", "") for s in jobs["publish"]["steps"])
    assert "skopeo copy --preserve-digests" in publish and "build-push-action" not in deploy.read_text()
    assert 'test "sha256:$archive" = "$DIGEST"' in publish and 'test "sha256:$pushed" = "$DIGEST"' in publish
    promote = jobs["promote"]
    checkout = next(s for s in promote["steps"] if "actions/checkout" in s.get("uses", ""))
    assert checkout["with"]["ref"] == "main", "the current head of main, not the triggering SHA"
    script = " ".join(s.get("run", "") for s in promote["steps"])
    assert "${IMAGE}@${DIGEST}" in script and "gh pr create --base main" in script
    assert promote["permissions"] == {"contents": "write", "pull-requests": "write"}


def test_no_generated_pipeline_pushes_to_the_default_branch(renders: dict) -> None:
    for service in renders.values():
        text = ci_text(service)
        assert not re.search(r"git push[^\n]*(HEAD:|:)(main|\$\{?CI_DEFAULT_BRANCH\}?)\b", text), service
        assert not re.search(r"git push[^\n]* origin (main|\"?HEAD:main)", text), service


def test_github_main_runs_are_never_cancelled_by_a_newer_push(renders: dict) -> None:
    ci = github(renders[("python-service", "github", False)], "ci.yml")
    assert "github.sha" in ci["concurrency"]["group"]
    assert ci["concurrency"]["cancel-in-progress"] == "${{ github.ref != 'refs/heads/main' }}"
    assert ci[True]["push"]["paths-ignore"] == ["deploy/overlays/*/kustomization.yaml"]


# --------------------------------------------------------------- GitLab releases


def test_gitlab_builds_once_and_passes_the_digest_to_each_environment(renders: dict) -> None:
    config = load_yaml(renders[("node-service", "gitlab", False)] / ".gitlab-ci.yml")
    jobs = gitlab_jobs(config)
    builders = [name for name, job in jobs.items() if "buildah build" in " ".join(job["script"])]
    assert builders == ["build"] and "buildah" in image_name(jobs["build"]["image"])
    assert jobs["build"]["artifacts"]["reports"]["dotenv"] == "build.env"
    assert jobs["image-test"]["services"][0]["name"] == "$IMAGE_REF"
    assert '"$IMAGE_REF"' in " ".join(jobs["image-scan"]["script"])
    previous = None
    for environment in ENVIRONMENTS:
        publish, promote = jobs[f"publish-{environment}"], jobs[f"promote-{environment}"]
        assert "build" in publish["needs"] and (previous is None or f"promote-{previous}" in publish["needs"])
        assert "skopeo copy --preserve-digests" in " ".join(publish["script"])
        assert promote["needs"] == ["build", f"publish-{environment}"]
        script = " ".join(promote["script"])
        assert '--branch "$CI_DEFAULT_BRANCH"' in script and "merge_request.create" in script
        assert "@${IMAGE_DIGEST}" in script
        previous = environment
    first = jobs["publish-dev"]["needs"]
    assert {"config-rules", "config-terraform", "config-kustomize", "conformance", "image-test", "image-scan"} <= set(
        first
    )
    assert [r.get("when") for r in jobs["publish-staging"]["rules"]][-1] == "manual"


def test_gitlab_deploy_role_of_each_environment_trusts_only_its_jobs(renders: dict) -> None:
    service = renders[("python-service", "gitlab", False)]
    main = (service / "terraform" / "main.tf").read_text()
    assert 'values   = ["sts.amazonaws.com/${var.environment}"]' in main
    assert '"project_path:${var.gitlab_project}:ref_type:branch:ref:main"' in main
    jobs = gitlab_jobs(load_yaml(service / ".gitlab-ci.yml"))
    for environment in ENVIRONMENTS:
        assert jobs[f"publish-{environment}"]["id_tokens"]["AWS_ID_TOKEN"]["aud"] == f"sts.amazonaws.com/{environment}"


# -------------------------------------------------------------- Jenkins releases


def pipeline(service: Path) -> GroovyBlock:
    (block,) = groovy_outline((service / "Jenkinsfile").read_text()).find("pipeline")
    return block


def stage(service: Path, name: str) -> GroovyBlock:
    return next(s for s in pipeline(service).find("stage") if s.args == f"('{name}')")


def minutes(options: str) -> int:
    match = re.search(r"timeout\(time: (\d+), unit: '(MINUTES|HOURS)'\)", options)
    assert match, options
    return int(match.group(1)) * (60 if match.group(2) == "HOURS" else 1)


def test_jenkins_approval_keeps_its_hour_and_main_deploys_finish(renders: dict) -> None:
    service = renders[("python-service", "jenkins", False)]
    block = pipeline(service)
    options = block.find("options")[0].body
    assert "disableConcurrentBuilds(abortPrevious: env.BRANCH_NAME != 'main')" in options
    top_level = [s for s in block.find("stages")[0].children if s.name == "stage"]
    stage_minutes = [minutes(s.find("options")[0].body) for s in top_level]
    assert minutes(options) >= sum(stage_minutes), "the pipeline timeout would cut a stage, or an approval, short"
    for environment in ("staging", "prod"):
        approval = stage(service, f"approve-{environment}")
        assert "input message:" in approval.body and minutes(approval.find("options")[0].body) == 60
        assert "agent none" in approval.body


def test_jenkins_promotes_as_the_agent_user_outside_the_workspace(renders: dict) -> None:
    service = renders[("node-service", "jenkins", False)]
    for environment in ENVIRONMENTS:
        promote = stage(service, f"promote-{environment}")
        assert "--user 0:0" not in promote.body and "apk add" not in promote.body
        assert (
            'checkout="$WORKSPACE_TMP/promote-' in promote.body and "git clone --depth 1 --branch main" in promote.body
        )
        assert "@${DIGEST}" in promote.body and "api.github.com/repos/" in promote.body
        publish = stage(service, f"publish-{environment}")
        assert "skopeo copy --preserve-digests oci-archive:image.tar" in publish.body and "git " not in publish.body
    assert [s.args for s in pipeline(service).find("stage") if "buildx build" in s.body] == ["('build')"]


@pytest.mark.parametrize("published", [False, True])
def test_jenkinsfile_parses(renders: dict, published: bool) -> None:
    error = groovy_syntax_error((renders[("node-service", "jenkins", published)] / "Jenkinsfile").read_text())
    assert error is None, error


# ------------------------------------------------ checks the services' CI runs


@pytest.mark.parametrize("provider", ["github", "gitlab", "jenkins"])
def test_ci_runs_what_platctl_tests_run_on_those_files(renders: dict, provider: str) -> None:
    text = ci_text(renders[("python-service", provider, False)])
    for command in (
        "promtool",
        "check rules slo-rules.yaml",
        "test rules slo-rules.test.yaml",
        "terraform fmt -check",
        "terraform init -backend=false",
        "terraform validate",
    ):
        assert command in text, command
    assert re.search(r'(kustomize|"\$KUSTOMIZE_IMAGE") build "/?\$overlay"', text), "every overlay is built"


def test_node_ci_follows_node_version(tmp_path: Path) -> None:
    service = render(tmp_path, "node-service", "payments-api", {"ci_provider": "gitlab", "node_version": "24.11.1"})
    jobs = gitlab_jobs(load_yaml(service / ".gitlab-ci.yml"))
    assert image_name(jobs["test"]["image"]) == "node:24.11.1-trixie-slim"
    github_service = render(
        tmp_path / "gh", "node-service", "payments-api", {"ci_provider": "github", "node_version": "24.11.1"}
    )
    assert github(github_service, "ci.yml")["env"]["NODE_VERSION"] == "24.11.1"


# -------------------------------------------------------------------- Renovate


@pytest.mark.parametrize("provider", ["gitlab", "jenkins"])
def test_renovate_covers_gitlab_and_jenkins_services(renders: dict, provider: str) -> None:
    service = renders[("node-service", provider, False)]
    check_jsonschema = require_tool("check-jsonschema")
    run = run_tool([check_jsonschema, "--builtin-schema", "vendor.renovate", "renovate.json"], service)
    assert run.returncode == 0, run.report()
    config = yaml.safe_load((service / "renovate.json").read_text())
    assert "config:recommended" in config["extends"]
    if provider == "jenkins":
        (manager,) = config["customManagers"]
        jenkinsfile = (service / "Jenkinsfile").read_text()
        images = re.findall(manager["matchStrings"][0].replace("(?<", "(?P<"), jenkinsfile)
        assert len(images) >= 5, "Renovate sees the Jenkinsfile's agent images"
    assert not (renders[("node-service", "github", False)] / "renovate.json").exists(), "GitHub has Dependabot"
    assert (renders[("node-service", "github", False)] / ".github" / "dependabot.yml").is_file()


@pytest.mark.parametrize("provider", ["github", "gitlab", "jenkins"])
def test_python_ci_tests_against_the_locked_dependencies_the_image_ships(renders: dict, provider: str) -> None:
    """``pip install -e '.[test]'`` alone resolves pyproject's ranges afresh: CI could pass on versions the
    image does not have. Every provider installs the hashed lock first (test_python_service_app runs it)."""
    text = ci_text(renders[("python-service", provider, False)])
    locked = "python -m pip install --require-hashes -r requirements.lock --only-binary=:all:"
    assert locked in text and text.index(locked) < text.index("-e '.[test]'"), text
    assert "pip install --no-cache-dir -e" not in text and "--disable-pip-version-check -e" not in text


@pytest.mark.parametrize("golden_path", GOLDEN_PATHS)
@pytest.mark.parametrize("published", [False, True])
def test_jenkins_holds_no_executor_while_an_approval_waits(renders: dict, golden_path: str, published: bool) -> None:
    """A pipeline-wide agent keeps its executor (and container) for the whole build, the hour-long
    approvals included; with none, each stage takes an agent and the approvals take nothing."""
    outline = groovy_outline((renders[(golden_path, "jenkins", published)] / "Jenkinsfile").read_text())
    [pipeline] = [b for b in outline.children if b.name == "pipeline"]
    assert re.search(r"^\s*agent none\s*$", pipeline.body.split("stages {", 1)[0], re.MULTILINE), pipeline.body[:400]

    def stages(block: Any) -> list[Any]:
        found = [block] if block.name == "stage" else []
        return found + [s for child in block.children for s in stages(child)]

    for stage in stages(pipeline):
        body = stage.body
        nested = any(c.name in ("stages", "parallel") for c in stage.children)
        if nested:
            continue
        has_agent = re.search(r"^\s*agent\b", body, re.MULTILINE) is not None
        assert has_agent, f"stage{stage.args} has no agent of its own"
        if "input message" in body:
            assert re.search(r"^\s*agent none\s*$", body, re.MULTILINE), f"stage{stage.args} holds an agent"
