"""The doctor's house rules, held by tests: generated docs in sync, core never prints, rules are small and documented."""

from __future__ import annotations

import ast
from pathlib import Path

from platctl.doctor import docs
from platctl.doctor.rules import REGISTRY

SRC = Path(__file__).resolve().parents[2] / "src" / "platctl"
DOCTOR = SRC / "doctor"


def test_generated_rule_docs_are_current() -> None:
    stale = docs.drifted(docs.DEFAULT_DIR)
    assert stale == [], "run `python -m platctl.doctor.docs` and commit docs/rules"


def test_every_rule_documents_itself() -> None:
    for rule in REGISTRY:
        meta = rule.meta
        assert rule.doc and meta.rationale and meta.fix_example and meta.example, meta.code
        assert meta.code.rstrip("0123456789").isupper() and meta.code[-3:].isdigit(), meta.code
        assert meta.slug == meta.slug.lower() and " " not in meta.slug


def _calls(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Call):
            func = node.func
            if isinstance(func, ast.Name):
                names.add(func.id)
            elif isinstance(func, ast.Attribute) and func.attr == "exit":
                names.add("exit")
    return names


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            found.add(node.module.split(".")[0])
    return found


def test_core_never_prints_prompts_or_exits() -> None:
    for path in DOCTOR.rglob("*.py"):
        if path.name == "docs.py":  # the docs generator is a script with its own main
            continue
        assert not {"print", "exit", "input"} & _calls(path), path


def test_rich_and_typer_stay_out_of_the_core() -> None:
    for path in DOCTOR.rglob("*.py"):
        imports = _imports(path)
        assert "typer" not in imports and "click" not in imports, path
        if path.name != "text.py":
            assert "rich" not in imports, path


def test_rule_modules_are_small() -> None:
    for path in (DOCTOR / "rules").rglob("*.py"):
        assert len(path.read_text().splitlines()) < 150, path
    for path in DOCTOR.rglob("*.py"):
        assert len(path.read_text().splitlines()) < 300, path
