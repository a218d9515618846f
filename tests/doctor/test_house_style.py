"""doctor's own house rules: generated docs in sync, every rule documented, rule modules small.

The rules for all of src/ (the layers, a quiet core, small modules) are in tests/test_architecture.py.
"""

from __future__ import annotations

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


def test_rule_modules_are_small() -> None:
    """One rule, one small module (the registry, a list of every rule's import, is not a rule)."""
    for path in (DOCTOR / "rules").rglob("*.py"):
        if path != DOCTOR / "rules" / "__init__.py":
            assert len(path.read_text().splitlines()) < 150, path
