"""Prometheus alerting and recording rules (plain files or PrometheusRule objects)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from platctl.doctor.repo import Repo
from platctl.doctor.rules.k8s._manifests import names_kind

ALERT_FILE_PATTERNS = ("*alert*.y*ml", "*rules*.y*ml", "*prometheus*.y*ml", "*slo*.y*ml")


@dataclass(frozen=True)
class RuleGroup:
    """One Prometheus rule group and the file it came from."""

    path: str
    group: dict[str, Any]

    @property
    def line(self) -> int:
        return int(getattr(self.group, "line", 1)) or 1

    def rules(self) -> Iterator[dict[str, Any]]:
        rules = self.group.get("rules")
        if isinstance(rules, list):
            yield from (r for r in rules if isinstance(r, dict))

    def alerts(self) -> Iterator[dict[str, Any]]:
        yield from (r for r in self.rules() if "alert" in r)


def iter_groups(repo: Repo) -> Iterator[RuleGroup]:
    """The rule groups of the repository's rule files (found once per run; the OBS rules all ask).

    Only production paths are read, as every OBS rule checks only those: a test fixture's rules
    (promtool's own 1 MB ``testdata/rules_large.yml``) alert nobody."""
    yield from repo.derived("prometheus-rule-groups", lambda: list(_read_groups(repo)))


def _read_groups(repo: Repo) -> Iterator[RuleGroup]:
    for path in repo.with_suffix(".yaml", ".yml"):
        if path.startswith(".github/") or repo.role(path) != "production":
            continue
        text = repo.text(path)
        if text is None or not _may_hold_groups(text) or not _has_expr_key(text):
            continue  # no rule group where one is read: a chart's CRDs and values files are not parsed
        for doc in repo.yaml(path) or []:
            for group in _groups_of(doc):
                yield RuleGroup(path, group)


def _may_hold_groups(text: str) -> bool:
    """Whether the text can hold the groups ``_groups_of`` reads: a ``groups`` key at the top of a
    document (a rule file, block or flow style) or a PrometheusRule's ``spec.groups``. A Helm chart's
    values file nests its rule groups deeper, where they are never read, so it is not parsed."""
    start = text.lstrip("\ufeff")
    return (names_kind(text, ("PrometheusRule",)) or start.startswith(("groups", '"groups"', "'groups'", "{"))
            or any(line in text for line in ("\ngroups", '\n"groups"', "\n'groups'", "\n{")))


def _has_expr_key(text: str) -> bool:
    """Whether the text has an ``expr:`` key (block or flow style, quoted or not), as every Prometheus rule does.

    The pattern starts with its literal so the regex engine jumps from one ``expr`` to the next; what may
    come before the key is checked here (a pattern starting with that check scans a CRD 15 times slower).
    """
    return any(m.start() == 0 or text[m.start() - 1] in _BEFORE_KEY for m in _EXPR_KEY.finditer(text))


_EXPR_KEY = re.compile(r"""expr["']?[ \t]*:""")
_BEFORE_KEY = frozenset(" \t\n{,\"'-")


def _groups_of(doc: Any) -> list[dict[str, Any]]:
    if not isinstance(doc, dict):
        return []
    if doc.get("kind") == "PrometheusRule" and isinstance(doc.get("spec"), dict):
        doc = doc["spec"]
    groups = doc.get("groups")
    if not isinstance(groups, list) or not all(isinstance(g, dict) and "rules" in g for g in groups):
        return []
    rules = [r for g in groups if isinstance(g.get("rules"), list) for r in g["rules"]]
    if rules and not any(isinstance(r, dict) and ("expr" in r or "alert" in r or "record" in r) for r in rules):
        return []  # some other tool's "groups of rules", not Prometheus
    return list(groups)


def line(node: Any, key: Any = None) -> int:
    if key is not None and hasattr(node, "line_of"):
        return int(node.line_of(key)) or 1
    return int(getattr(node, "line", 1)) or 1
