"""docs/security.md names the test behind each guarantee: every name must be a real test."""

from __future__ import annotations

import ast
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DOC = ROOT / "docs" / "security.md"


def referenced() -> list[tuple[str, str]]:
    """(file, test) pairs; ``::name`` after a file's first mention refers to that file."""
    pairs, current = [], ""
    for match in re.finditer(r"`(tests/[\w/]+\.py)?(::(\w+))?`", DOC.read_text()):
        current = match.group(1) or current
        if match.group(3):
            pairs.append((current, match.group(3)))
    return pairs


def test_every_test_named_in_the_security_doc_exists() -> None:
    pairs = referenced()
    assert len(pairs) > 40
    for path, name in pairs:
        tree = ast.parse((ROOT / path).read_text())
        names = {n.name for n in ast.walk(tree) if isinstance(n, ast.FunctionDef)}
        assert name in names, f"docs/security.md names {path}::{name}, which does not exist"


def test_every_security_test_file_is_in_the_doc() -> None:
    text = DOC.read_text()
    for path in sorted((ROOT / "tests" / "security").glob("test_*.py")):
        assert f"tests/security/{path.name}" in text, f"{path.name} is not listed in docs/security.md"
