"""The house's shape, held by tests that can fail.

* The layer contracts in pyproject.toml (import-linter, function-level imports
  included) hold, and each one is shown to fail on a deliberate violation made
  in a copy of the package.
* The house style holds over all of ``src/`` but the CLI: the core never
  prints, prompts or exits; modules stay under 300 lines and functions under 40.
* Each fact has one home: the record's and the manifest's file names, rule
  codes only in their rules, golden-path names only in golden_paths/.
"""

from __future__ import annotations

import ast
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "src" / "platctl"
CORE = [p for p in SRC.rglob("*.py") if "cli" not in p.relative_to(SRC).parts and p.name != "__main__.py"]


def lint_imports(src_root: Path) -> subprocess.CompletedProcess[str]:
    """Run the contracts of pyproject.toml against the ``platctl`` package found under ``src_root``."""
    command = [sys.executable, "-c", "from importlinter.cli import lint_imports_command; lint_imports_command()",
               "--no-cache", "--config", str(ROOT / "pyproject.toml")]
    env = {**os.environ, "PYTHONPATH": str(src_root)}
    return subprocess.run(command, capture_output=True, text=True, cwd=src_root, env=env)


def test_the_layer_contracts_hold() -> None:
    result = lint_imports(ROOT / "src")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "2 kept, 0 broken" in result.stdout


VIOLATIONS = {
    # the five ways the house went wrong before, each must break a contract
    "scaffold runs doctor": ("scaffold/api.py", "from platctl.doctor.api import run_doctor"),
    "doctor imports upgrade": ("doctor/fix.py", "from platctl.upgrade.api import plan_upgrade"),
    "core imports typer": ("scaffold/render.py", "import typer"),
    "core prints through rich": ("doctor/api.py", "import rich.console"),
    "core imports the CLI": ("upgrade/api.py", "from platctl.cli.app import main"),
    "safewrite imports scaffold": ("safewrite.py", "from platctl.scaffold.record import RECORD_NAME"),
    "base imports doctor": ("yamlload.py", "from platctl.doctor.model import Finding"),
}


@pytest.fixture(scope="module")
def package_copy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    copy = tmp_path_factory.mktemp("src") / "platctl"
    shutil.copytree(SRC, copy, ignore=shutil.ignore_patterns("__pycache__"))
    return copy


@pytest.mark.parametrize("name", sorted(VIOLATIONS))
def test_each_contract_fails_on_a_deliberate_violation(package_copy: Path, name: str) -> None:
    module, line = VIOLATIONS[name]
    target = package_copy / module
    original = target.read_text()
    target.write_text(original + f"\n\ndef _violation() -> None:\n    {line}  # hidden in a function\n")
    try:
        result = lint_imports(package_copy.parent)
    finally:
        target.write_text(original)
    assert result.returncode != 0 and "BROKEN" in result.stdout, f"{name} went unnoticed:\n{result.stdout}"


def test_a_package_without_init_is_not_invisible(package_copy: Path) -> None:
    init = package_copy / "doctor" / "__init__.py"
    saved = init.read_text()
    init.unlink()
    try:
        result = lint_imports(package_copy.parent)
    finally:
        init.write_text(saved)
    assert result.returncode != 0


def _calls(tree: ast.AST) -> set[str]:
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Call):
            if isinstance(node.func, ast.Name):
                names.add(node.func.id)
            elif isinstance(node.func, ast.Attribute) and node.func.attr == "exit":
                names.add(node.func.attr)
    return names


def test_the_core_never_prints_prompts_or_exits() -> None:
    scripts = {SRC / "doctor" / "docs.py"}  # the docs generator is also a script with its own main
    for path in CORE:
        if path not in scripts:
            assert not {"print", "exit", "input", "breakpoint"} & _calls(ast.parse(path.read_text())), path


def test_modules_and_functions_stay_small() -> None:
    for path in SRC.rglob("*.py"):
        text = path.read_text()
        assert len(text.splitlines()) < 300, f"{path} has {len(text.splitlines())} lines: split it"
        for node in ast.walk(ast.parse(text)):
            if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)):
                length = (node.end_lineno or node.lineno) - node.lineno + 1
                assert length <= 40, f"{path}:{node.lineno} {node.name} has {length} lines"


def _strings(path: Path) -> list[str]:
    return [
        n.value
        for n in ast.walk(ast.parse(path.read_text()))
        if isinstance(n, ast.Constant) and isinstance(n.value, str)
    ]


@pytest.mark.parametrize(
    ("literal", "home"), [(".platctl.yaml", "scaffold/record.py"), ("golden-path.yaml", "scaffold/manifest.py")]
)
def test_each_file_name_has_one_home(literal: str, home: str) -> None:
    found = sorted(p.relative_to(SRC).as_posix() for p in SRC.rglob("*.py") if literal in _strings(p))
    assert found == [home], f"{literal!r} is spelled out in {found}; import it from {home}"


RULE_CODE = re.compile(r"^[A-Z]{2,6}\d{3}$")


def test_the_doctor_engine_names_no_rule_code() -> None:
    """A rule owns its prefilter, options and fix: no code outside doctor/rules/ names a rule."""
    rules = SRC / "doctor" / "rules"
    for path in SRC.rglob("*.py"):
        if rules in path.parents or "cli" in path.relative_to(SRC).parts:
            continue
        named = [s for s in _strings(path) if RULE_CODE.match(s)]
        assert not named, f"{path} names rule codes {named}: move that knowledge into the rule's module"


def test_golden_path_names_live_in_golden_paths() -> None:
    """A third golden path touches only golden_paths/: no Python names a bundled one."""
    bundled = {p.name for p in (ROOT / "golden_paths").iterdir() if (p / "cookiecutter.json").is_file()}
    for path in SRC.rglob("*.py"):
        named = bundled & set(_strings(path))
        assert not named, f"{path} names golden paths {sorted(named)}: say it in their golden-path.yaml"


def test_ruff_is_clean() -> None:
    """The rule sets and line length of pyproject.toml's [tool.ruff], over the package, tests, bench and scripts."""
    ruff = shutil.which("ruff") or str(Path(sys.executable).parent / "ruff")
    result = subprocess.run([ruff, "check", "--no-cache", "src", "tests", "bench", "scripts"], cwd=ROOT,
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
