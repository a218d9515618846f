"""doctor on a hostile pull request: whatever the repository holds, doctor finishes quickly, in bounded memory.

Each attack runs the real ``platctl`` in a subprocess with a wall-clock budget (and, for
alias bombs, an address-space limit), so a hang or a blow-up fails the test instead of
the test run.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "doctor"))

from doctor_support import GOOD, mutated, record, write_repo  # noqa: E402

from platctl.doctor.model import Finding  # noqa: E402

WALL_SECONDS = 10.0
MEMORY_BYTES = 1024 * 1024 * 1024
SIZE = 600 * 1024


def _platctl(
    *args: str, memory: int | None = None, timeout: float = WALL_SECONDS
) -> tuple[subprocess.CompletedProcess[str], float]:
    """Run platctl in a fresh process under a wall-clock budget (and an address-space limit)."""
    limit = "" if memory is None else f"import resource; resource.setrlimit(resource.RLIMIT_AS, ({memory}, {memory}))\n"
    code = limit + "import sys\nfrom platctl.cli.app import main\nsys.argv = ['platctl'] + sys.argv[1:]\nmain()\n"
    started = time.monotonic()
    try:
        done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        pytest.fail(f"platctl {' '.join(args)} ran past its {timeout:g} s budget")
    return done, time.monotonic() - started


def _workflow_with_script(script: str) -> str:
    body = textwrap.indent(script, " " * 10)
    return GOOD[".github/workflows/ci.yml"].replace("      - run: make lint\n", f"      - run: |\n{body}\n", 1)


HOSTILE = {
    # CI008: thousands of ${{ that never close, and one expression full of 'pages'
    "ci008-unclosed": {".github/workflows/ci.yml": _workflow_with_script("echo ${{ \n" * (SIZE // 11))},
    "ci008-pages": {
        ".github/workflows/ci.yml": _workflow_with_script("echo ${{ " + "github.event.pages " * (SIZE // 19) + " }}\n")
    },
    # CI005: one secret name made of 'AWS' over and over
    "ci005-aws": {
        ".github/workflows/ci.yml": _workflow_with_script("echo ${{ secrets." + "AWS" * (SIZE // 3) + " }}\n")
    },
    # Jenkins: a sea of blank lines, and an image( with nothing after its spaces
    "jenkins-blank": {"Jenkinsfile": "\n" * SIZE + "node {\n}\n"},
    "jenkins-image": {"Jenkinsfile": GOOD["Jenkinsfile"].replace("image 'python", "image" + " " * SIZE + "x 'python")},
    # the secret scan: a file of nothing but key IDs and private-key headers (each hit is placed on its line)
    "secret-hits": {"keys.env": ("AKIA" + "ABCDEFGHIJKLMNOP\n") * (SIZE // 42)
                    + ("-----BEGIN " + "RSA PRIVATE KEY-----\n") * (SIZE // 64)},
    # Terraform: an object literal of blank lines
    "hcl-map": {
        "terraform/main.tf": GOOD["terraform/main.tf"].replace(
            'cost_center = "cc-1"\n', 'cost_center = "cc-1"\n' + "\n" * SIZE
        )
    },
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_built_in_rules_are_linear_on_hostile_files(tmp_path: Path, name: str) -> None:
    root = write_repo(tmp_path, mutated(HOSTILE[name]))
    done, seconds = _platctl("doctor", str(root), "--select", "ALL")
    assert done.returncode in (0, 1), done.stderr
    assert seconds < WALL_SECONDS


POLICY = """\
rules:
  - code: ORG001
    title: no catastrophic backtracking
    message: m
    check: {type: file_not_contains, files: ["*.txt"], pattern: "(a+)+$"}
  - code: ORG002
    title: runners
    message: m
    check: {type: yaml_path, files: ["*.yaml"], path: "x", matches: "(x+x+)+y"}
"""


def test_a_custom_rule_with_catastrophic_backtracking_cannot_hang_doctor(tmp_path: Path) -> None:
    root = write_repo(tmp_path / "repo", mutated({"a.txt": "a" * 5000 + "b\n", "b.yaml": "x: " + "x" * 5000 + "\n"}))
    policy = tmp_path / "policy.yaml"
    policy.write_text(POLICY)
    done, seconds = _platctl(
        "doctor", str(root), "--policy", str(policy), "--select", "ORG001,ORG002", "--fail-on", "info"
    )
    assert done.returncode == 1 and "ORG002" in done.stdout, done.stdout + done.stderr
    assert "ORG001" not in done.stdout


def test_a_rule_over_its_time_budget_is_a_finding_not_a_hang(tmp_path: Path) -> None:
    from platctl.doctor.budget import run_rule
    from platctl.doctor.listing import list_repo_files
    from platctl.doctor.repo import Repo
    from platctl.doctor.rules.base import Rule
    from platctl.doctor.rules.ci import ci002_actions_pinned

    def slow_check(repo: Repo, options: object) -> Iterator[Finding]:
        for path in repo.files:
            repo.text(path)
            time.sleep(0.05)
        yield from ()

    root = write_repo(tmp_path, GOOD)
    files, skips = list_repo_files(root)
    started = time.monotonic()
    findings = run_rule(Rule(ci002_actions_pinned.META, slow_check), Repo(root, files, skips), {}, seconds=0.2)
    assert time.monotonic() - started < 1.0
    (finding,) = findings
    assert finding.rule == "CI002" and "time budget" in finding.message and finding.severity.value == "error"
    assert finding.path in files


BOMB = "".join(
    [f"  l0: &l0 [{', '.join(['lol'] * 9)}]\n"]
    + [f"  l{i}: &l{i} [{', '.join([f'*l{i - 1}'] * 9)}]\n" for i in range(1, 10)]
)


@pytest.mark.parametrize("command", [("doctor",), ("diff",), ("doctor", "--extend-select", "GP005")])
def test_an_alias_bomb_in_the_record_is_a_one_line_error(tmp_path: Path, command: tuple[str, ...]) -> None:
    root = write_repo(tmp_path, mutated({".platctl.yaml": record().replace("answers:\n", "answers:\n" + BOMB)}))
    done, seconds = _platctl(*command, str(root), memory=MEMORY_BYTES)
    assert done.returncode == 2, done.stdout + done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and ".platctl.yaml" in done.stderr, done.stderr


def test_an_alias_bomb_in_a_workflow_is_a_finding(tmp_path: Path) -> None:
    bomb = "x-bomb:\n" + BOMB + GOOD[".github/workflows/ci.yml"]
    root = write_repo(tmp_path, mutated({".github/workflows/ci.yml": bomb}))
    done, _ = _platctl("doctor", str(root), "--select", "ALL", memory=MEMORY_BYTES)
    assert done.returncode == 1 and "REPO001" in done.stdout, done.stdout + done.stderr


def test_an_alias_bomb_in_the_record_read_by_diff_is_refused_in_process(tmp_path: Path) -> None:
    from platctl.errors import ConfigError
    from platctl.scaffold.record import read_record

    write_repo(tmp_path, {".platctl.yaml": record().replace("answers:\n", "answers:\n" + BOMB)})
    with pytest.raises(ConfigError, match="aliases expand"):
        read_record(tmp_path)
