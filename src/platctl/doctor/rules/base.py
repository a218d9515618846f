"""What a rule is: its metadata and a check generator, gathered from one module."""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from types import ModuleType
from typing import Any, Callable

from platctl.doctor.fix import FixFunction
from platctl.doctor.model import Finding, RuleMeta
from platctl.doctor.repo import Repo

CheckFunction = Callable[[Repo, Mapping[str, Any]], Iterator[Finding]]


@dataclass(frozen=True)
class Rule:
    """One rule, gathered from its module: ``META``, ``check``, and optionally ``PREFILTER`` and ``fix``.

    ``PREFILTER``: an extended regex every match of the rule also matches; the
    engine starts one ``git grep`` per distinct prefilter while it lists files.
    ``fix(repo, findings, options, draft)``: drafts the rule's safe fixes (see ``platctl.doctor.fix``).
    """

    meta: RuleMeta
    check: CheckFunction
    doc: str = ""
    prefilter: str | None = None
    fix: FixFunction | None = None

    @classmethod
    def from_module(cls, module: ModuleType) -> Rule:
        rule = cls(module.META, module.check, (module.__doc__ or "").strip(), getattr(module, "PREFILTER", None),
                   getattr(module, "fix", None))
        if (rule.fix is not None) != rule.meta.fixable:
            raise RuntimeError(f"doctor rule {rule.code}: META.fixable must say whether the module has a fix()")
        return rule

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
