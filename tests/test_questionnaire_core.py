"""The questionnaire's rules in the core: what is asked, in which order, what applies, what is recorded."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from platctl.errors import TemplateError, UserError
from platctl.scaffold.api import NewServiceRequest, new_service, record_for
from platctl.scaffold.catalog import GoldenPath, load_template_dir
from platctl.scaffold.collect import Given, NotConfirmed, Question, Summary, collect_answers

MANIFEST = """
name: conditional
version: 1.0.0
variables:
  owner:
    group: ownership
    pattern: '^team-[a-z]+$'
    pattern_help: team-<name>
  ci:
    group: delivery
    choice_help: {hub: the hub, lab: the lab}
  lab_url:
    group: delivery
    when: ci == 'lab'
    pattern: '^https://.+$'
  hub_org:
    group: delivery
    when: cookiecutter.ci == 'hub'
  region:
    group: ownership
"""


def template(root: Path, manifest: str = MANIFEST) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    context = {
        "service_name": "svc",
        "owner": "team-a",
        "ci": ["hub", "lab"],
        "lab_url": "",
        "hub_org": "acme",
        "region": "eu",
    }
    (root / "cookiecutter.json").write_text(json.dumps(context))
    (root / "{{cookiecutter.service_name}}").mkdir(exist_ok=True)
    (root / "{{cookiecutter.service_name}}/README.md").write_text("{{ cookiecutter.ci }} {{ cookiecutter.lab_url }}\n")
    (root / "golden-path.yaml").write_text(manifest)
    return root


@pytest.fixture
def golden(tmp_path: Path) -> GoldenPath:
    return load_template_dir(template(tmp_path / "conditional"), str(tmp_path / "conditional"))


def scripted(replies: dict[str, list[str]], asked: list[Question]):
    def ask(question: Question) -> str:
        asked.append(question)
        queue = replies.get(question.variable.name, [])
        return queue.pop(0) if queue else question.default

    return ask


def test_questions_come_group_by_group_and_skip_what_does_not_apply(golden: GoldenPath) -> None:
    asked: list[Question] = []
    answers = collect_answers(golden, [], scripted({"ci": ["lab"], "lab_url": ["https://lab.example"]}, asked))
    assert [q.variable.name for q in asked] == ["service_name", "owner", "region", "ci", "lab_url"]
    assert answers["lab_url"] == "https://lab.example"
    assert "hub_org" not in record_for(golden, answers).answers  # not asked, not recorded
    assert "lab_url" in record_for(golden, answers).answers


def test_a_refused_answer_is_asked_again_with_the_words_not_the_pattern(golden: GoldenPath) -> None:
    asked: list[Question] = []
    collect_answers(golden, [], scripted({"owner": ["payments", "team-pay"]}, asked))
    problems = [q.problem for q in asked if q.variable.name == "owner"]
    assert problems == [None, "invalid value 'payments' for owner: use team-<name>"]


def test_a_value_that_does_not_apply_is_an_error_from_set_and_dropped_elsewhere(golden: GoldenPath) -> None:
    with pytest.raises(
        UserError,
        match=r"^lab_url from --set does not apply: it is used only when ci == 'lab' \(here "
        r"ci is 'hub'\); drop it$",
    ):
        collect_answers(golden, [Given("--set", {"lab_url": "https://x"}, must_apply=True)])
    answers = collect_answers(golden, [Given("answers file a.yaml", {"lab_url": "not a url"})])
    assert (
        answers["lab_url"] == "" and "lab_url" not in record_for(golden, answers).answers
    )  # neither validated nor recorded


def test_organisation_defaults_are_offered_and_rank_below_answers(golden: GoldenPath) -> None:
    org = Given(
        "defaults in config.yaml", {"owner": "team-org", "region": "us", "unknown_elsewhere": "x"}, suggests=True
    )
    asked: list[Question] = []
    collect_answers(golden, [org], scripted({}, asked))
    assert {q.variable.name: q.default for q in asked}["owner"] == "team-org"  # shown as the default
    answers = collect_answers(golden, [Given("--set", {"region": "ap"}), org])  # no prompter: they answer
    assert (answers["owner"], answers["region"]) == ("team-org", "ap")
    with pytest.raises(
        UserError, match=r"invalid value 'bad' for owner: use team-<name> \(from defaults in " r"config.yaml\)"
    ):
        collect_answers(golden, [Given("defaults in config.yaml", {"owner": "bad"}, suggests=True)])


def test_the_summary_lists_what_applies_and_declining_writes_nothing(golden: GoldenPath, tmp_path: Path) -> None:
    seen: list[Summary] = []

    def decline(summary: Summary) -> bool:
        seen.append(summary)
        return False

    request = NewServiceRequest(
        "svc", str(golden.template_dir), output_dir=tmp_path / "out", git=False, ask=scripted({}, []), confirm=decline
    )
    with pytest.raises(NotConfirmed):
        new_service(request)
    assert [v.name for v, _ in seen[0].rows] == ["service_name", "owner", "region", "ci", "hub_org"]
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("when", "problem"),
    [
        ("ci ==", "lab_url: when 'ci ==' does not parse"),
        (
            "cloud == 'aws'",
            "lab_url: when \"cloud == 'aws'\" names 'cloud', which is not a variable of this golden path",
        ),
        (
            "hub_org == 'x'",
            "lab_url: when \"hub_org == 'x'\" names 'hub_org', which is asked after it; move it earlier",
        ),
        ("ci == 'lab' }}{{ 1", "does not parse"),
    ],
)
def test_lint_fails_a_when_that_does_not_parse_or_names_an_unknown_variable(
    tmp_path: Path, when: str, problem: str
) -> None:
    root = template(tmp_path / "bad", MANIFEST.replace("when: ci == 'lab'", f"when: {json.dumps(when)}"))
    done = subprocess.run(
        [sys.executable, "-m", "platctl", "golden-paths", "lint", str(root)], capture_output=True, text=True
    )
    assert done.returncode == 1, done.stdout + done.stderr
    assert "FAILED conditional 1.0.0 the manifest" in done.stdout and problem in done.stdout


def test_a_broken_when_is_a_template_error_where_it_is_evaluated(tmp_path: Path) -> None:
    root = template(tmp_path / "bad", MANIFEST.replace("when: ci == 'lab'", "when: 'ci =='"))
    with pytest.raises(TemplateError, match="failed to render the 'when' of 'lab_url'"):
        collect_answers(load_template_dir(root, str(root)), [])


def test_show_says_when_each_variable_applies_and_keeps_the_pattern(golden: GoldenPath) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "platctl", "golden-paths", "show", str(golden.template_dir), "-f", "json"],
        capture_output=True,
        text=True,
    )
    variables = {v["name"]: v for v in json.loads(done.stdout)["variables"]}
    assert variables["lab_url"]["when"] == "ci == 'lab'" and variables["owner"]["when"] == ""
    assert variables["owner"]["pattern"] == "^team-[a-z]+$" and variables["owner"]["pattern_help"] == "team-<name>"
    assert variables["ci"]["choice_help"] == {"hub": "the hub", "lab": "the lab"}
    text = subprocess.run(
        [sys.executable, "-m", "platctl", "golden-paths", "show", "python-service"],
        capture_output=True,
        text=True,
        env={"COLUMNS": "250", "PATH": "/usr/bin:/bin", "NO_COLOR": "1"},
    ).stdout
    assert "applies when" in text and "ci_provider == 'gitlab'" in text


def test_without_a_terminal_a_missing_name_stays_a_usage_error(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "platctl", "new", "service", "-o", str(tmp_path / "out")],
        capture_output=True,
        text=True,
        stdin=subprocess.DEVNULL,
    )
    assert done.returncode == 2 and "Missing argument 'name'." in done.stderr
    assert not (tmp_path / "out").exists()


def test_organisation_defaults_from_the_user_config_without_a_terminal(tmp_path: Path) -> None:
    (tmp_path / "config/platctl").mkdir(parents=True)
    (tmp_path / "config/platctl/config.yaml").write_text(
        "defaults:\n  owner: team-org\n  gitlab_url: " "https://gitlab.acme.example\n"
    )
    env = {"PATH": "/usr/bin:/bin", "HOME": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path / "config")}
    args = [sys.executable, "-m", "platctl", "new", "service", "svc", "--no-git", "-o", str(tmp_path / "out")]
    done = subprocess.run(
        [*args, "--set", "owner=team-cli"], capture_output=True, text=True, env=env, stdin=subprocess.DEVNULL
    )
    assert done.returncode == 0, done.stderr
    answers = yaml.safe_load((tmp_path / "out/svc/.platctl.yaml").read_text())["answers"]
    assert answers["owner"] == "team-cli"  # --set wins
    assert "gitlab_url" not in answers  # github by default: the org's gitlab_url does not apply, silently
    (tmp_path / "config/platctl/config.yaml").write_text("defaults:\n  owner: payments\n")
    done = subprocess.run(
        [*args[:-1], str(tmp_path / "out2")], capture_output=True, text=True, env=env, stdin=subprocess.DEVNULL
    )
    assert done.returncode == 2
    assert (
        "invalid value 'payments' for owner: use team-<name> or group:<name>" in done.stderr
        and "config.yaml)" in done.stderr
    )
