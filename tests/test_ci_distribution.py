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
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import yaml

from support import REPO_ROOT, require_tool
from validators_support import ACTION_PINS, groovy_outline, groovy_syntax_error, run_tool, workflow_uses

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


def run_steps(steps: list[dict[str, Any]], inputs: dict[str, str], workspace: Path, runner: Path, run: ActionRun) -> ActionRun:
    """Run `run:` steps as GitHub runs a composite action's bash steps; stop at the first that fails."""
    summary = runner / "step-summary.md"
    for number, step in enumerate(steps):
        if "uses" in step:
            run.skipped_uses.append(step["uses"])
            continue
        output = runner / f"output-{step.get('id', number)}"
        output.write_text("")
        env = {**os.environ, "GITHUB_ACTION_PATH": str(REPO_ROOT), "GITHUB_WORKSPACE": str(workspace),
               "GITHUB_OUTPUT": str(output), "GITHUB_STEP_SUMMARY": str(summary), "RUNNER_TEMP": str(runner),
               "PIP_NO_INDEX": "1", "PIP_NO_BUILD_ISOLATION": "0"}  # offline: dependencies come from this Python
        env.update({k: evaluate(str(v), inputs, run.outputs) for k, v in step.get("env", {}).items()})
        script = runner / f"step-{number}.sh"
        script.write_text(step["run"])
        done = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", str(script)], cwd=workspace,
                              env=env, capture_output=True, text=True, timeout=300, check=False)
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
    python.write_text(f'#!/bin/sh\nif [ "$1 $2" = "-m venv" ]; then shift 2; '
                      f'exec "{sys.executable}" -m venv --system-site-packages "$@"; fi\nexec "{sys.executable}" "$@"\n')
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
    assert run.skipped_uses == [f"github/codeql-action/upload-sarif@{ACTION_PINS['github/codeql-action/upload-sarif'][0]}"]


def test_findings_fail_the_action_with_1_after_the_reports(service: Path, installed: Any) -> None:
    (service / "CODEOWNERS").unlink()
    run, summary = run_action(service, installed)
    assert run.returncode == 1, run.log
    assert run.outputs["doctor"]["exit-code"] == "1"
    results = json.loads((service / "platctl-doctor.sarif").read_text())["runs"][0]["results"]
    assert [r["ruleId"] for r in results] == ["OWN001"]
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
