"""What a rule is: its metadata and a check generator, gathered from one module."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from types import ModuleType
from typing import Any, Callable

from platctl.doctor.model import Finding, RuleMeta
from platctl.doctor.repo import Repo

CheckFunction = Callable[[Repo, Mapping[str, Any]], Iterator[Finding]]


@dataclass(frozen=True)
class Rule:
    meta: RuleMeta
    check: CheckFunction
    doc: str = ""

    @classmethod
    def from_module(cls, module: ModuleType) -> Rule:
        return cls(module.META, module.check, (module.__doc__ or "").strip())

    @property
    def code(self) -> str:
        return self.meta.code


def index_rules(rules: tuple[Rule, ...]) -> dict[str, Rule]:
    """Rules by code; a duplicate code or slug is a programming error and fails at import."""
    by_code: dict[str, Rule] = {}
    slugs: set[str] = set()
    for rule in rules:
        if rule.code in by_code or rule.meta.slug in slugs:
            raise RuntimeError(f"duplicate doctor rule code or slug: {rule.code} ({rule.meta.slug})")
        by_code[rule.code] = rule
        slugs.add(rule.meta.slug)
    return by_code
