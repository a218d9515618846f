"""`platctl completion bash|zsh|fish`: the script runs in a real bash and completes what a person types."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from test_startup import loaded

BASH = shutil.which("bash")
PLATCTL = shutil.which("platctl")

# What bash does on TAB: set COMP_LINE/COMP_POINT/COMP_WORDS/COMP_CWORD and call the completion function.
PRESS_TAB = r"""
source "$1"
COMP_LINE="$2"; COMP_POINT=${#COMP_LINE}
read -r -a COMP_WORDS <<< "$COMP_LINE"
[[ "$COMP_LINE" == *" " ]] && COMP_WORDS+=("")
COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
"$(complete -p platctl | sed -E 's/.* -F ([^ ]+) .*/\1/')" platctl
printf '%s\n' "${COMPREPLY[@]}"
"""


@pytest.fixture(scope="module")
def script(tmp_path_factory: pytest.TempPathFactory) -> Path:
    done = subprocess.run([sys.executable, "-m", "platctl", "completion", "bash"], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    path = tmp_path_factory.mktemp("completion") / "platctl.bash"
    path.write_text(done.stdout)
    return path


def tab(script: Path, line: str) -> list[str]:
    if BASH is None or PLATCTL is None:
        pytest.skip("needs bash and the installed platctl console script")
    env = {**os.environ, "PATH": f"{Path(PLATCTL).parent}:{os.environ.get('PATH', '')}"}
    done = subprocess.run(
        [BASH, "--norc", "-c", PRESS_TAB, "bash", str(script), line], capture_output=True, text=True, env=env
    )
    assert done.returncode == 0, done.stderr
    return [w for w in done.stdout.splitlines() if w]


def test_doctor_select_completes_rule_codes(script: Path) -> None:
    offered = tab(script, "platctl doctor --select CI0")
    assert "CI001" in offered and "CI015" in offered
    assert all(code.startswith("CI0") for code in offered)


def test_set_completes_variable_names_then_their_choices(script: Path) -> None:
    assert tab(script, "platctl new service x --set ci_") == ["ci_provider="]
    # bash breaks the word at '=': only the part after it comes back
    assert tab(script, "platctl new service x --set ci_provider=") == ["github", "gitlab", "jenkins"]
    assert tab(script, "platctl new service x -g node-service --set node_") == ["node_version="]


def test_golden_paths_commands_and_options_complete(script: Path) -> None:
    assert tab(script, "platctl new service x --golden-path ") == ["node-service", "python-service"]
    assert "completion" in tab(script, "platctl ")
    assert tab(script, "platctl new service x --ye") == ["--yes"]
    assert "actions-pinned" in tab(script, "platctl doctor --explain actions-")


@pytest.mark.parametrize(("shell", "marker"), [("zsh", "compdef"), ("fish", "complete --command platctl")])
def test_zsh_and_fish_scripts(shell: str, marker: str) -> None:
    done = subprocess.run([sys.executable, "-m", "platctl", "completion", shell], capture_output=True, text=True)
    assert done.returncode == 0 and marker in done.stdout and "_PLATCTL_COMPLETE" in done.stdout


def test_an_unknown_shell_is_one_line() -> None:
    done = subprocess.run([sys.executable, "-m", "platctl", "completion", "tcsh"], capture_output=True, text=True)
    assert done.returncode == 2
    assert done.stderr == "platctl: error: cannot complete for 'tcsh': choose bash, zsh or fish\n"


def test_a_run_that_is_not_completing_loads_nothing_for_completion(tmp_path: Path) -> None:
    probe = """
import sys
sys.argv = ["platctl", "--help"]
try:
    from platctl.cli.app import main
    main()
except SystemExit:
    pass
sys.stdout = sys.__stdout__
wanted = ("platctl.scaffold", "platctl.doctor.api", "platctl.cli.bash", "platctl.cli.questionnaire")
print("\\n" + " ".join(sorted(m for m in sys.modules if m.startswith(wanted))))
"""
    done = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
    )
    assert done.stdout.splitlines()[-1] == ""
    assert loaded(["completion", "--help"], tmp_path) == set()
