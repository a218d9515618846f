"""platctl where CI lives: the GitHub Action, the image, the GitLab component and the
pre-commit hooks, each checked by the tool its users' CI would run, and the recipes in
docs/ci.md checked the same way.

The action's own steps run here too: their `run:` scripts, in order, with the variables
GitHub sets (GITHUB_ACTION_PATH, GITHUB_OUTPUT, GITHUB_STEP_SUMMARY, RUNNER_TEMP) and the
step `env:` the action maps its inputs into, on a service fresh from `platctl new`.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml

from support import REPO_ROOT, require_tool
from validators_support import (
    ACTION_PINS,
    checkov_path,
    checkov_summaries,
    groovy_outline,
    groovy_syntax_error,
    run_tool,
    workflow_uses,
)

ACTION = REPO_ROOT / "action.yml"
DOCKERFILE = REPO_ROOT / "Dockerfile"
COMPONENT = REPO_ROOT / "templates" / "doctor.yml"
CI_DOC = REPO_ROOT / "docs" / "ci.md"
HOOKS = REPO_ROOT / ".pre-commit-hooks.yaml"
EXAMPLE_IMAGE = "registry.example.com/platform/platctl@sha256:" + "0" * 64


def doc_blocks(language: str) -> list[str]:
    return re.findall(rf"^```{language}\n(.*?)^```", CI_DOC.read_text(), flags=re.MULTILINE | re.DOTALL)


def doc_block(language: str, containing: str) -> str:
    (block,) = [b for b in doc_blocks(language) if containing in b]
    return block


def new_service(root: Path) -> Path:
    """`platctl new service x --no-input --set owner=team-x`, as a team would run it."""
    command = [sys.executable, "-m", "platctl", "new", "service", "x", "--no-input", "--set", "owner=team-x"]
    made = run_tool(command, root)
    assert made.returncode == 0, made.report()
    return root / "x"


@pytest.fixture
def service(tmp_path: Path) -> Path:
    return new_service(tmp_path)


# ======================================================================== the action


EXPRESSION = re.compile(r"\$\{\{\s*(.*?)\s*\}\}")


def action() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(ACTION.read_text())
    return loaded


def action_inputs(**given: str) -> dict[str, str]:
    defaults = {name: str(spec.get("default", "")) for name, spec in action()["inputs"].items()}
    unknown = set(given) - set(defaults)
    assert not unknown, f"not inputs of the action: {unknown}"
    return {**defaults, **given}


def evaluate(text: str, inputs: dict[str, str], outputs: dict[str, dict[str, str]]) -> str:
    """The two expression forms the action's `env:` uses: inputs.NAME and steps.ID.outputs.NAME."""

    def value(match: re.Match[str]) -> str:
        expression = match.group(1)
        if found := re.fullmatch(r"inputs\.([\w-]+)", expression):
            return inputs[found.group(1)]
        if found := re.fullmatch(r"steps\.([\w-]+)\.outputs\.([\w-]+)", expression):
            return outputs.get(found.group(1), {}).get(found.group(2), "")
        raise AssertionError(f"the test runner does not evaluate ${{{{ {expression} }}}}")

    return EXPRESSION.sub(value, text)


@dataclass
class ActionRun:
    """What running the action's steps left behind: the failing step's code, every step's outputs, the log."""

    returncode: int = 0
    outputs: dict[str, dict[str, str]] = field(default_factory=dict)
    log: str = ""
    skipped_uses: list[str] = field(default_factory=list)


def run_steps(
    steps: list[dict[str, Any]], inputs: dict[str, str], workspace: Path, runner: Path, run: ActionRun
) -> ActionRun:
    """Run `run:` steps as GitHub runs a composite action's bash steps; stop at the first that fails."""
    summary = runner / "step-summary.md"
    for number, step in enumerate(steps):
        if "uses" in step:
            run.skipped_uses.append(step["uses"])
            continue
        output = runner / f"output-{step.get('id', number)}"
        output.write_text("")
        env = {
            **os.environ,
            "GITHUB_ACTION_PATH": str(REPO_ROOT),
            "GITHUB_WORKSPACE": str(workspace),
            "GITHUB_OUTPUT": str(output),
            "GITHUB_STEP_SUMMARY": str(summary),
            "RUNNER_TEMP": str(runner),
            "PIP_NO_INDEX": "1",
            "PIP_NO_BUILD_ISOLATION": "0",
        }  # offline: dependencies come from this Python
        env.update({k: evaluate(str(v), inputs, run.outputs) for k, v in step.get("env", {}).items()})
        script = runner / f"step-{number}.sh"
        script.write_text(step["run"])
        done = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)],
            cwd=workspace,
            env=env,
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        run.log += f"--- {step.get('name', number)}: exit {done.returncode}\n{done.stdout}{done.stderr}"
        run.outputs[step.get("id", str(number))] = dict(line.split("=", 1) for line in output.read_text().splitlines())
        if done.returncode != 0:
            run.returncode = done.returncode
            break
    return run


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, dict[str, str]]:
    """The action's install step, run once: a Python whose `-m venv` shares this interpreter's
    packages stands in for the runner's, so pip needs no index."""
    runner = tmp_path_factory.mktemp("runner")
    python = runner / "python3"
    python.write_text(
        f'#!/bin/sh\nif [ "$1 $2" = "-m venv" ]; then shift 2; '
        f'exec "{sys.executable}" -m venv --system-site-packages "$@"; fi\nexec "{sys.executable}" "$@"\n'
    )
    python.chmod(0o755)
    (install,) = [s for s in action()["runs"]["steps"] if s.get("id") == "install"]
    run = run_steps([install], action_inputs(python=str(python)), runner, runner, ActionRun())
    assert run.returncode == 0, run.log
    return runner, run.outputs["install"]


def run_action(service: Path, installed: tuple[Path, dict[str, str]], **given: str) -> tuple[ActionRun, Path]:
    runner, install_outputs = installed
    summary = runner / "step-summary.md"
    summary.unlink(missing_ok=True)
    steps = [s for s in action()["runs"]["steps"] if s.get("id") != "install"]
    run = run_steps(steps, action_inputs(**given), service, runner, ActionRun(outputs={"install": install_outputs}))
    return run, summary


def test_the_action_matches_the_action_metadata_schema() -> None:
    check_jsonschema = require_tool("check-jsonschema")
    run = run_tool([check_jsonschema, "--builtin-schema", "vendor.github-actions", ACTION], REPO_ROOT)
    assert run.returncode == 0, run.report()


def test_the_action_installs_platctl_from_its_own_checkout() -> None:
    (install,) = [s for s in action()["runs"]["steps"] if s.get("id") == "install"]
    assert re.search(r'pip install [^\n]*"\$\{GITHUB_ACTION_PATH:\?\}"', install["run"])
    assert "platctl==" not in ACTION.read_text() and "--index-url" not in ACTION.read_text()


def test_the_action_pins_every_action_it_uses_by_a_known_release_sha() -> None:
    uses = list(workflow_uses(ACTION))
    assert [ref.partition("@")[0] for _, ref, _ in uses] == ["github/codeql-action/upload-sarif"]
    for line, ref, comment in uses:
        action_name, _, sha = ref.partition("@")
        assert (sha, comment) == ACTION_PINS[action_name], f"action.yml:{line}: {ref} # {comment}"


def test_inputs_reach_run_scripts_only_through_env() -> None:
    for step in action()["runs"]["steps"]:
        if "run" in step:
            assert "${{" not in step["run"], f"{step['name']}: an expression inline in run:"
            assert step["shell"] == "bash"


def test_the_run_scripts_pass_shellcheck(tmp_path: Path) -> None:
    shellcheck = require_tool("shellcheck")
    scripts = []
    for number, step in enumerate(s for s in action()["runs"]["steps"] if "run" in s):
        scripts.append(tmp_path / f"step-{number}.sh")
        scripts[-1].write_text("#!/usr/bin/env bash\n" + step["run"])
    run = run_tool([shellcheck, "--shell=bash", *scripts], tmp_path)
    assert run.returncode == 0, run.report()


def test_on_a_clean_service_the_action_exits_0_with_sarif_and_summary(service: Path, installed: Any) -> None:
    run, summary = run_action(service, installed)
    assert run.returncode == 0, run.log
    assert run.outputs["doctor"] == {"exit-code": "0", "sarif-file": "platctl-doctor.sarif"}
    sarif = json.loads((service / "platctl-doctor.sarif").read_text())
    assert sarif["version"] == "2.1.0" and sarif["runs"][0]["results"] == []
    assert summary.read_text().startswith("## platctl doctor") and "No findings" in summary.read_text()
    assert run.skipped_uses == [
        f"github/codeql-action/upload-sarif@{ACTION_PINS['github/codeql-action/upload-sarif'][0]}"
    ]


def test_findings_fail_the_action_with_1_after_the_reports(service: Path, installed: Any) -> None:
    (service / "CODEOWNERS").unlink()
    run, summary = run_action(service, installed)
    assert run.returncode == 1, run.log
    assert run.outputs["doctor"]["exit-code"] == "1"
    run_ = json.loads((service / "platctl-doctor.sarif").read_text())["runs"][0]
    # a missing file has no location code scanning can show: SARIF carries it as a run notification
    notes = run_["invocations"][0]["toolExecutionNotifications"]
    assert run_["results"] == [] and [n["associatedRule"]["id"] for n in notes] == ["OWN001"], notes
    assert "`OWN001`" in summary.read_text()
    assert "::error file=CODEOWNERS" in run.log, "the default format annotates the pull request"


def test_findings_below_fail_on_pass(service: Path, installed: Any) -> None:
    (service / "CODEOWNERS").unlink()
    run, _ = run_action(service, installed, **{"extra-args": "--exit-zero", "job-summary": "false", "sarif-file": ""})
    assert run.returncode == 0, run.log
    assert run.outputs["doctor"] == {"exit-code": "0"}
    assert not (service / "platctl-doctor.sarif").exists() and not (installed[0] / "step-summary.md").exists()


def test_bad_input_fails_the_action_with_2_and_says_so(service: Path, installed: Any) -> None:
    run, summary = run_action(service, installed, policy="missing-policy.yaml")
    assert run.returncode == 2, run.log
    assert "platctl: error: missing-policy.yaml: not found" in run.log
    assert "::error title=platctl doctor::" in run.log
    assert "Could not check the repository (exit 2)" in summary.read_text()
    assert not (service / "platctl-doctor.sarif").exists()


def test_paths_may_be_given_one_per_line(service: Path, installed: Any) -> None:
    run, _ = run_action(service.parent, installed, paths="x\nnot-a-directory\n")
    assert run.returncode == 2, run.log
    assert "not-a-directory is not a directory" in run.log, "the second line is a path too"


def test_the_github_recipe_passes_actionlint_with_the_action_checked_out(tmp_path: Path) -> None:
    """actionlint checks a local action's inputs against its action.yml, so the recipe uses `./`."""
    actionlint = require_tool("actionlint")
    shellcheck = require_tool("shellcheck")
    recipe = doc_block("yaml", "acme/platctl@")
    workflow = tmp_path / ".github" / "workflows" / "platctl.yml"
    workflow.parent.mkdir(parents=True)
    workflow.write_text(re.sub(r"uses: acme/platctl@[^\n]*", "uses: ./", recipe))
    shutil.copyfile(ACTION, tmp_path / "action.yml")
    run_tool(["git", "init", "-q"], tmp_path)
    run = run_tool([actionlint, "-no-color", f"-shellcheck={shellcheck}", workflow], tmp_path)
    assert run.returncode == 0, run.report()
    workflow.write_text(workflow.read_text().replace("fail-on: error", "fail-onn: error"))
    assert "fail-onn" in run_tool([actionlint, "-no-color", workflow], tmp_path).stdout, "actionlint reads action.yml"


@pytest.mark.parametrize("schema", ["vendor.github-workflows", "custom.github-workflows-require-timeout"])
def test_the_github_recipe_matches_the_workflow_schema(tmp_path: Path, schema: str) -> None:
    check_jsonschema = require_tool("check-jsonschema")
    workflow = tmp_path / "platctl.yml"
    workflow.write_text(doc_block("yaml", "acme/platctl@"))
    run = run_tool([check_jsonschema, "--builtin-schema", schema, workflow], tmp_path)
    assert run.returncode == 0, run.report()


def test_the_github_recipe_pins_the_action_by_sha_and_the_rest_by_known_releases() -> None:
    uses = re.findall(r"uses: (\S+)@([^\n#]*?)\s*# (.*)", doc_block("yaml", "acme/platctl@"))
    assert ("acme/platctl", "<40-character commit SHA>", "v0.1.0") in uses
    for name, sha, comment in uses:
        if name != "acme/platctl":
            assert (sha, comment) == ACTION_PINS[name], name


# ========================================================================= the image


def instructions(path: Path) -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) of a Dockerfile, continuation lines joined, comments dropped."""
    joined = re.sub(r"\\\n(\s*#[^\n]*\n)*", " ", path.read_text())
    lines = [line.strip() for line in joined.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    return [(line.split(None, 1)[0].upper(), line.split(None, 1)[1]) for line in lines]


def final_stage(path: Path) -> list[tuple[str, str]]:
    found = instructions(path)
    last_from = max(i for i, (name, _) in enumerate(found) if name == "FROM")
    return found[last_from:]


def test_hadolint_passes_on_the_dockerfile() -> None:
    hadolint = require_tool("hadolint")
    run = run_tool([hadolint, DOCKERFILE], REPO_ROOT)
    assert run.returncode == 0, run.report()


def test_checkov_passes_on_the_dockerfile(tmp_path: Path) -> None:
    """hadolint does not ask for a USER or a HEALTHCHECK; checkov does (CKV_DOCKER_3, CKV_DOCKER_2)."""
    shutil.copyfile(DOCKERFILE, tmp_path / "Dockerfile")
    command = [
        checkov_path(),
        "-d",
        ".",
        "--framework",
        "dockerfile",
        "--skip-download",
        "-o",
        "json",
        "--quiet",
        "--compact",
    ]
    run = run_tool(command, tmp_path, timeout=600)
    summaries = checkov_summaries(run.stdout)
    assert [s["summary"]["parsing_errors"] for s in summaries] == [0] and run.returncode == 0, run.report()
    assert summaries[0]["summary"]["passed"] > 0


def test_every_base_image_is_pinned_by_digest_and_the_refresh_is_documented() -> None:
    images = [args.split()[0] for name, args in instructions(DOCKERFILE) if name == "FROM"]
    assert len(images) == 2, "a build stage and a runtime stage"
    for image in images:
        assert re.fullmatch(r"python:3\.\d+-slim-[a-z]+@sha256:[0-9a-f]{64}", image), image
    assert len(set(images)) == 1, "both stages on the same base"
    assert "Renovate" in DOCKERFILE.read_text() and "Dependabot" in DOCKERFILE.read_text()
    assert "Renovate" in CI_DOC.read_text() and "Dependabot" in CI_DOC.read_text()


def test_the_image_builds_a_wheel_and_runs_it_as_a_numeric_non_root_user() -> None:
    everything = instructions(DOCKERFILE)
    assert any(name == "RUN" and "pip wheel" in args for name, args in everything)
    runtime = final_stage(DOCKERFILE)
    assert ("COPY", "--from=build /opt/platctl /opt/platctl") in runtime
    assert any(name == "RUN" and re.search(r"apt-get install .*\bgit\b", args) for name, args in runtime)
    (user,) = [args for name, args in runtime if name == "USER"]
    uid, _, gid = user.partition(":")
    assert uid.isdigit() and int(uid) >= 1000 and (not gid or gid.isdigit()), user
    (entrypoint,) = [args for name, args in runtime if name == "ENTRYPOINT"]
    assert json.loads(entrypoint) == ["platctl"]


def test_the_build_context_holds_what_the_dockerfile_copies_and_nothing_else() -> None:
    patterns = [
        line for line in (REPO_ROOT / ".dockerignore").read_text().splitlines() if line and not line.startswith("#")
    ]
    assert patterns[0] == "*", "an allow-list: .git, tests and caches never reach the builder"
    allowed = {p[1:].rstrip("/") for p in patterns if p.startswith("!")}
    copied = {
        source.rstrip("/")
        for name, args in instructions(DOCKERFILE)
        if name == "COPY" and "--from" not in args
        for source in args.split()[:-1]
    }
    assert allowed == copied


def test_the_wheel_builds_from_the_build_context_alone(tmp_path: Path) -> None:
    import zipfile

    context = tmp_path / "context"
    context.mkdir()
    for line in (REPO_ROOT / ".dockerignore").read_text().splitlines():
        if line.startswith("!"):
            source = REPO_ROOT / line[1:].rstrip("/")
            if source.is_dir():
                shutil.copytree(source, context / source.name, ignore=shutil.ignore_patterns("__pycache__", "*.py[co]"))
            else:
                shutil.copyfile(source, context / source.name)
    built = run_tool(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", tmp_path, "."], context
    )
    assert built.returncode == 0, built.report()
    (wheel,) = tmp_path.glob("platctl-*.whl")
    assert "platctl/golden_paths/python-service/golden-path.yaml" in zipfile.ZipFile(wheel).namelist()


def test_the_image_builds_and_runs_where_docker_works(tmp_path: Path) -> None:
    docker = shutil.which("docker")
    if docker is None or run_tool([docker, "info"], tmp_path, timeout=30).returncode != 0:
        pytest.skip("no working docker daemon here: hadolint and the content checks stand in for a build")
    tag = f"platctl-ci-test:{os.getpid()}"
    build = run_tool([docker, "build", "-q", "-t", tag, "."], REPO_ROOT, timeout=900)
    assert build.returncode == 0, build.report()
    try:
        service = new_service(tmp_path)
        version = run_tool([docker, "run", "--rm", tag, "--version"], tmp_path)
        assert version.returncode == 0 and version.stdout.startswith("platctl "), version.report()
        doctor = run_tool([docker, "run", "--rm", "-v", f"{service}:/repo:ro", tag], tmp_path)
        assert doctor.returncode == 0, doctor.report()
        user = run_tool([docker, "run", "--rm", "--entrypoint", "id", tag, "-u"], tmp_path)
        assert user.stdout.strip() == "10001", user.report()
    finally:
        run_tool([docker, "rmi", "-f", tag], tmp_path)


# ============================================================== the GitLab component


INPUT_REFERENCE = re.compile(r"\$\[\[\s*inputs\.([\w-]+)\s*\]\]")


def component() -> tuple[dict[str, Any], dict[str, Any]]:
    header, jobs = yaml.safe_load_all(COMPONENT.read_text())
    return header, jobs


def component_inputs(**given: Any) -> dict[str, Any]:
    """The inputs GitLab would interpolate: defaults, then what an `include:` gives, each checked."""
    spec = component()[0]["spec"]["inputs"]
    assert not set(given) - set(spec), f"not inputs of the component: {set(given) - set(spec)}"
    values = {name: given.get(name, field_spec.get("default")) for name, field_spec in spec.items()}
    for name, value in values.items():
        assert value is not None, f"input {name} is required"
        assert value in spec[name].get("options", [value]), f"{name}: {value!r} is not an option"
        assert re.fullmatch(spec[name].get("regex", ".*"), str(value)), f"{name}: {value!r} does not match its regex"
    return values


def interpolate(node: Any, inputs: dict[str, Any]) -> Any:
    """GitLab's interpolation: on the parsed YAML; a value that is one input keeps the input's type."""
    if isinstance(node, dict):
        return {interpolate(k, inputs): interpolate(v, inputs) for k, v in node.items()}
    if isinstance(node, list):
        return [interpolate(item, inputs) for item in node]
    if isinstance(node, str):
        if whole := INPUT_REFERENCE.fullmatch(node):
            return inputs[whole.group(1)]
        return INPUT_REFERENCE.sub(lambda m: json.dumps(inputs[m.group(1)]).strip('"'), node)
    return node


def rendered_jobs(**given: Any) -> dict[str, Any]:
    jobs: dict[str, Any] = interpolate(component()[1], component_inputs(**given))
    return jobs


def gitlab_schema_run(document: Any, tmp_path: Path, name: str = "ci.yml") -> Any:
    check_jsonschema = require_tool("check-jsonschema")
    path = tmp_path / name
    path.write_text(yaml.safe_dump(document, sort_keys=False))
    return run_tool([check_jsonschema, "--builtin-schema", "vendor.gitlab-ci", path], tmp_path)


def test_the_component_header_matches_the_gitlab_schema(tmp_path: Path) -> None:
    header, _ = component()
    run = gitlab_schema_run(header, tmp_path)
    assert run.returncode == 0, run.report()
    header["spec"]["inputs"]["allow-failure"]["default"] = "no"
    assert gitlab_schema_run(header, tmp_path).returncode != 0, (
        "the schema checks each input's default against its " "type"
    )


@pytest.mark.parametrize(
    "given",
    [
        {"image": EXAMPLE_IMAGE},
        {
            "image": EXAMPLE_IMAGE,
            "stage": "lint",
            "job-name": "conformance",
            "paths": "services/a services/b",
            "fail-on": "warning",
            "policy": "policy.yaml",
            "baseline": "baseline.json",
            "extra-args": "--ignore OBS",
            "allow-failure": True,
        },
    ],
    ids=["defaults", "every-input"],
)
def test_the_component_jobs_match_the_gitlab_schema(tmp_path: Path, given: dict[str, Any]) -> None:
    run = gitlab_schema_run(rendered_jobs(**given), tmp_path)
    assert run.returncode == 0, run.report()


def test_every_input_is_declared_and_used() -> None:
    declared = set(component()[0]["spec"]["inputs"])
    used = set(INPUT_REFERENCE.findall(COMPONENT.read_text().split("\n---\n", 1)[1]))
    assert used == declared


def test_the_image_input_takes_a_digest_only() -> None:
    component_inputs(image=EXAMPLE_IMAGE)
    for image in ("registry.example.com/platform/platctl:1.2.0", "registry.example.com/platform/platctl"):
        with pytest.raises(AssertionError, match="regex"):
            component_inputs(image=image)


def test_the_job_runs_the_image_and_publishes_junit_and_code_quality() -> None:
    (job,) = rendered_jobs(image=EXAMPLE_IMAGE).values()
    assert job["image"] == {"name": EXAMPLE_IMAGE, "entrypoint": [""]}
    assert job["interruptible"] is True and job["allow_failure"] is False and job["needs"] == []
    assert job["artifacts"]["when"] == "always"
    assert job["artifacts"]["reports"] == {"junit": "platctl-doctor.xml", "codequality": "gl-code-quality-report.json"}


def test_the_component_script_passes_shellcheck(tmp_path: Path) -> None:
    shellcheck = require_tool("shellcheck")
    (job,) = rendered_jobs(image=EXAMPLE_IMAGE).values()
    script = tmp_path / "script.sh"
    script.write_text("#!/bin/sh\n" + "\n".join(job["script"]))
    run = run_tool([shellcheck, "--shell=sh", script], tmp_path)
    assert run.returncode == 0, run.report()


def run_component(service: Path, bin_dir: Path, **given: Any) -> subprocess.CompletedProcess[str]:
    """The job's script as the runner runs it in the image: bash -eo pipefail, the job's variables set."""
    (job,) = rendered_jobs(image=EXAMPLE_IMAGE, **given).values()
    env = {**os.environ, **{k: str(v) for k, v in job["variables"].items()}, "PATH": f"{bin_dir}:{os.environ['PATH']}"}
    return subprocess.run(
        ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", "\n".join(job["script"])],
        cwd=service,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


@pytest.fixture
def platctl_bin(tmp_path: Path) -> Path:
    """A `platctl` on PATH that is this checkout's, as in the image."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "platctl").write_text(f'#!/bin/sh\nexec "{sys.executable}" -m platctl "$@"\n')
    (bin_dir / "platctl").chmod(0o755)
    return bin_dir


@pytest.mark.parametrize(("broken", "expected"), [(False, 0), (True, 1)], ids=["clean", "findings"])
def test_the_component_writes_both_reports_and_exits_with_doctors_code(
    service: Path, platctl_bin: Path, broken: bool, expected: int
) -> None:
    if broken:
        (service / "CODEOWNERS").unlink()
    done = run_component(service, platctl_bin)
    assert done.returncode == expected, done.stdout + done.stderr
    junit = (service / "platctl-doctor.xml").read_text()
    issues = json.loads((service / "gl-code-quality-report.json").read_text())
    assert ("<failure" in junit) is broken
    assert [i["check_name"] for i in issues] == (["OWN001"] if broken else [])
    assert all({"description", "check_name", "fingerprint", "severity", "location"} <= set(i) for i in issues)


def test_bad_input_fails_the_component_job_with_2_and_no_reports(service: Path, platctl_bin: Path) -> None:
    done = run_component(service, platctl_bin, policy="missing-policy.yaml")
    assert done.returncode == 2, done.stdout + done.stderr
    assert "missing-policy.yaml: not found" in done.stderr
    assert not (service / "platctl-doctor.xml").exists()


def test_codeclimate_fingerprints_survive_line_moves_and_tell_duplicates_apart() -> None:
    from platctl.doctor.model import Finding, Report, ServiceReport, Severity
    from platctl.doctor.reporters.codeclimate import as_codeclimate

    def issues(*lines: int) -> list[dict[str, Any]]:
        findings = tuple(Finding("CI002", Severity.ERROR, "not pinned", "ci.yml", line) for line in lines)
        return as_codeclimate(Report((ServiceReport(root=".", name="x", golden_path=None, findings=findings),), ()))

    assert [i["fingerprint"] for i in issues(3)] == [i["fingerprint"] for i in issues(30)]
    assert len({i["fingerprint"] for i in issues(3, 9)}) == 2
    assert issues(3)[0]["location"] == {"path": "ci.yml", "lines": {"begin": 3}}


# ================================================================ pre-commit and docs


def hooks() -> list[dict[str, Any]]:
    loaded: list[dict[str, Any]] = yaml.safe_load(HOOKS.read_text())
    return loaded


def test_the_pre_commit_hooks_run_doctor_on_the_whole_repository() -> None:
    assert [h["id"] for h in hooks()] == ["platctl-doctor", "platctl-doctor-fix"]
    for hook in hooks():
        assert hook["entry"].startswith("platctl doctor") and hook["language"] == "python"
        assert hook["pass_filenames"] is False and hook["always_run"] is True
        assert hook["minimum_pre_commit_version"] == "3.2.0", "the stage names pre-commit and pre-push need 3.2"
        assert set(hook["stages"]) <= {"pre-commit", "pre-push", "manual"}


def test_the_pre_commit_hooks_load_with_pre_commits_own_manifest_schema() -> None:
    clientlib = pytest.importorskip("pre_commit.clientlib", reason="pre-commit (PyPI) validates hook manifests")
    clientlib.load_manifest(str(HOOKS))


def test_the_pre_commit_recipe_names_existing_hooks_at_a_frozen_sha() -> None:
    recipe = yaml.safe_load(doc_block("yaml", "rev: "))
    (repo,) = recipe["repos"]
    assert repo["rev"] == "<40-character commit SHA>" and "# frozen: v0.1.0" in doc_block("yaml", "rev: ")
    assert {h["id"] for h in repo["hooks"]} <= {h["id"] for h in hooks()}


def test_the_component_recipe_matches_the_gitlab_schema_and_the_components_inputs(tmp_path: Path) -> None:
    recipe = yaml.safe_load(doc_block("yaml", "component: "))
    run = gitlab_schema_run(recipe, tmp_path)
    assert run.returncode == 0, run.report()
    (include,) = recipe["include"]
    assert re.fullmatch(r"\$CI_SERVER_FQDN/[\w/-]+/doctor@\d+\.\d+\.\d+", include["component"])
    given = {**include["inputs"], "image": EXAMPLE_IMAGE}
    component_inputs(**given)


@pytest.mark.parametrize("containing", ['entrypoint: [""]', "tags: [docker]"], ids=["image", "extend"])
def test_the_other_gitlab_recipes_match_the_gitlab_schema(tmp_path: Path, containing: str) -> None:
    run = gitlab_schema_run(yaml.safe_load(doc_block("yaml", containing)), tmp_path)
    assert run.returncode == 0, run.report()


def test_the_jenkins_recipe_is_a_declarative_pipeline_on_the_image() -> None:
    (jenkinsfile,) = doc_blocks("groovy")
    assert groovy_syntax_error(jenkinsfile) is None
    (pipeline,) = groovy_outline(jenkinsfile).find("pipeline")
    (docker,) = pipeline.find("docker")
    assert (
        "image 'registry.example.com/platform/platctl@sha256:" in docker.body and "args '--entrypoint='" in docker.body
    )
    assert "timeout(time: 10, unit: 'MINUTES')" in pipeline.find("options")[0].body
    assert "junit" in pipeline.find("always")[0].body


def test_the_ci_doc_covers_every_input_exit_code_and_golden_path_variable() -> None:
    text = CI_DOC.read_text()
    for name in [*action()["inputs"], *action()["outputs"], *component()[0]["spec"]["inputs"]]:
        assert f"`{name}`" in text, name
    for code in (0, 1, 2, 3, 130):
        assert re.search(rf"^\| {code} \|", text, flags=re.MULTILINE), f"exit {code}"
    for variable in ("platctl_action", "platctl_image", "platctl_gitlab_component"):
        assert f"`{variable}`" in text and f"{variable}: " in text, variable


def test_the_ci_doc_is_linked_from_the_readme_and_from_doctors_docs() -> None:
    assert "(docs/ci.md)" in (REPO_ROOT / "README.md").read_text()
    assert "(ci.md)" in (REPO_ROOT / "docs" / "doctor.md").read_text()
