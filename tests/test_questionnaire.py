"""`platctl new service` at a real terminal: a pseudo-terminal types the answers a person would.

pexpect makes the pty the child's controlling terminal, so Ctrl-C is a real
SIGINT from the line discipline, as at a keyboard.
"""

from __future__ import annotations

import io
import os
import re
import sys
from pathlib import Path

import pytest
import yaml

pexpect = pytest.importorskip("pexpect")

QUESTION = r"\r\n(\w+)(?: \[[^\]\r\n]*\])? \([^\r\n]*\): $"  # name [choices] (default):
CONFIRM = r"Create it\?[^\r\n]*: $"


def spawn(tmp_path: Path, *args: str) -> pexpect.spawn:
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(tmp_path),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "NO_COLOR": "1",
        "TERM": "dumb",
        "COLUMNS": "200",
    }
    child = pexpect.spawn(
        sys.executable, ["-m", "platctl", "new", "service", *args], cwd=str(tmp_path), env=env,
        encoding="utf-8", timeout=60, dimensions=(60, 200),
    )
    child.logfile_read = io.StringIO()
    return child


def screen(child: pexpect.spawn) -> str:
    """Everything the terminal has shown so far."""
    return str(child.logfile_read.getvalue())


def answer_all(child: pexpect.spawn, answers: dict[str, list[str]]) -> list[str]:
    """Answer each question from ``answers`` (in turn) or with Enter;
    return the questions asked, up to the confirm or the end."""
    asked: list[str] = []
    while child.expect([CONFIRM, QUESTION, pexpect.EOF]) == 1:
        name = child.match.group(1)
        asked.append(name)
        queue = answers.get(name, [])
        child.sendline(queue.pop(0) if queue else "")
    return asked


def finished(child: pexpect.spawn) -> int:
    if not child.eof():
        child.expect(pexpect.EOF)
    child.close()
    return int(child.exitstatus if child.exitstatus is not None else 128 + child.signalstatus)


def written(tmp_path: Path) -> list[str]:
    """Everything under the output directory (the log and the config are not output)."""
    out = tmp_path / "out"
    return sorted(str(p.relative_to(tmp_path)) for p in out.rglob("*")) if out.exists() else []


def test_a_person_is_asked_name_golden_path_and_only_what_applies(tmp_path: Path) -> None:
    child = spawn(tmp_path, "-o", "out", "--no-git")
    child.expect("Service name")
    child.sendline("Payments API")
    child.expect("try 'payments-api'")  # the same refusal and suggestion as NAME on the command line
    child.expect(r"Service name \(payments-api\): $")
    child.sendline("")
    child.expect(r"1\. node-service +Node\.js")  # each golden path with its one-line description
    child.expect(r"2\. python-service +Python 3\.12")
    child.expect(r"Golden path \(python-service\): $")
    child.sendline("2")
    asked = answer_all(
        child, {"owner": ["payments", "team-payments"], "ci_provider": ["2"], "lifecycle": ["experimental"]}
    )
    log = screen(child)
    assert "invalid value 'payments' for owner: use team-<name> or group:<name>" in log
    assert "^(team-" not in log  # the regex is not shown to a person
    assert asked.count("owner") == 2  # refused, then asked again
    assert "gitlab_url" in asked and "platctl_gitlab_component" in asked
    assert "jenkins_url" not in asked and "platctl_action" not in asked  # they do not apply to gitlab
    assert re.search(r"2\. gitlab +GitLab CI/CD", log)  # choices by number, with their help
    headings = [
        h for h in ("\r\nService\r\n", "\r\nOwnership\r\n", "\r\nDelivery\r\n", "\r\nObservability\r\n") if h in log
    ]
    assert len(headings) == 4 and asked.index("owner") < asked.index("ci_provider") < asked.index("grafana_url")
    assert "Summary" in child.before and "team-payments" in child.before and "jenkins_url" not in child.before
    assert written(tmp_path) == []  # nothing before the confirm
    child.sendline("y")
    assert finished(child) == 0
    record = yaml.safe_load((tmp_path / "out/payments-api/.platctl.yaml").read_text())
    assert record["answers"]["ci_provider"] == "gitlab" and record["answers"]["lifecycle"] == "experimental"
    assert record["answers"]["owner"] == "team-payments"
    assert "gitlab_url" in record["answers"] and "jenkins_url" not in record["answers"]  # only what applies is recorded


@pytest.mark.parametrize("where", ["name", "golden path", "question", "confirm"])
def test_ctrl_c_at_any_prompt_leaves_nothing_written(tmp_path: Path, where: str) -> None:
    child = spawn(tmp_path, "-o", "out/deeper")
    if where != "name":
        child.expect("Service name")
        child.sendline("svc")
        child.expect(r"Golden path \(")
        if where != "golden path":
            child.sendline("")
    if where == "question":
        child.expect(QUESTION)
    elif where == "confirm":
        answer_all(child, {})
    else:
        child.expect(r": $")
    child.sendintr()
    assert finished(child) == 130
    assert "platctl: error: interrupted; nothing was left half-written" in child.before
    assert not (tmp_path / "out").exists()


def test_declining_the_summary_writes_nothing(tmp_path: Path) -> None:
    child = spawn(tmp_path, "svc", "-g", "node-service", "-o", "out")
    asked = answer_all(child, {})
    assert asked[0] == "description"  # NAME and --golden-path given: neither is asked
    child.sendline("n")
    assert finished(child) == 130
    assert "not confirmed; nothing was written" in child.before
    assert not (tmp_path / "out").exists()


def test_yes_skips_the_confirm_and_the_organisation_defaults_are_offered(tmp_path: Path) -> None:
    (tmp_path / "config/platctl").mkdir(parents=True)
    (tmp_path / "config/platctl/config.yaml").write_text(
        "defaults:\n  owner: team-identity\n  aws_region: " "eu-central-1\n"
    )
    child = spawn(
        tmp_path, "svc", "-g", "python-service", "-o", "out", "--no-git", "--yes", "--set", "ci_provider=jenkins"
    )
    asked = answer_all(child, {})
    assert "ci_provider" not in asked and "jenkins_url" in asked and "gitlab_url" not in asked
    assert "owner (team-identity): " in screen(child)
    assert finished(child) == 0
    answers = yaml.safe_load((tmp_path / "out/svc/.platctl.yaml").read_text())["answers"]
    assert answers["owner"] == "team-identity" and answers["aws_region"] == "eu-central-1"
