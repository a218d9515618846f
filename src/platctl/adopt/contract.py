"""The contract the added platform files make with the app: read from the files themselves (the probe
paths, the port, the metrics the rules read, the user the pod runs as), each clause with the doctor rule
that checks it and, where adopt saw it in the repository, where."""

from __future__ import annotations

import re
from typing import Any, Iterator, Mapping

from platctl.adopt.endpoints import Endpoints
from platctl.adopt.report import Clause
from platctl.adopt.tree import Tree
from platctl.doctor.rules.container.docker001_non_root_user import META as NON_ROOT
from platctl.doctor.rules.observability.obs009_app_serves_contract import META as SERVES
from platctl.doctor.rules.observability.obs009_app_serves_contract import app_metric, exports, metric_names

CONTRACT_RULE = SERVES.code  # doctor's rule for the paths and metrics the app must declare
NON_ROOT_RULE = NON_ROOT.code  # doctor's rule for the image's user
_RUN_AS = re.compile(r"runAsUser:\s*(\d+)")
_USER = re.compile(r"^\s*USER\s+(\S+)", re.MULTILINE | re.IGNORECASE)


def contract(added: Mapping[str, bytes], answers: Mapping[str, Any], endpoints: Endpoints, tree: Tree,
             own: str) -> tuple[Clause, ...]:
    texts = {
        rel: content.decode("utf-8", "replace") for rel, content in added.items() if rel.endswith((".yaml", ".yml"))
    }
    clauses: list[Clause] = []
    if any("kind: Deployment" in t for t in texts.values()):
        clauses += _serving(answers, endpoints)
        clauses += _user(texts, tree, own)
    clauses += [
        Clause(f"export the metric `{m}`", CONTRACT_RULE, _exported(endpoints, m)) for m in _rule_metrics(texts)
    ]
    return tuple(clauses)


def _serving(answers: Mapping[str, Any], endpoints: Endpoints) -> list[Clause]:
    def seen(fact: Any, value: Any) -> str:
        return fact.source if fact is not None and str(fact.value) == str(value) else ""

    return [
        Clause(f"listen on port {answers.get('port')}", "", seen(endpoints.port, answers.get("port"))),
        Clause(
            f"answer the liveness probe at `{answers.get('health_path')}`",
            CONTRACT_RULE,
            seen(endpoints.health, answers.get("health_path")),
        ),
        Clause(
            f"answer the readiness probe at `{answers.get('ready_path')}`",
            CONTRACT_RULE,
            seen(endpoints.ready, answers.get("ready_path")),
        ),
        Clause(
            f"serve Prometheus metrics at `{answers.get('metrics_path')}`",
            CONTRACT_RULE,
            seen(endpoints.metrics, answers.get("metrics_path")),
        ),
    ]


def _user(texts: Mapping[str, str], tree: Tree, own: str) -> list[Clause]:
    pod_uid = next((m.group(1) for t in texts.values() for m in [_RUN_AS.search(t)] if m), None)
    if pod_uid is None:
        return []
    dockerfile = f"{own}/Dockerfile" if own else "Dockerfile"
    users = _USER.findall(tree.text(dockerfile) or "")
    uid = users[-1].split(":", 1)[0] if users else ""
    evidence = f"{dockerfile} USER {users[-1]}" if uid.isdigit() and int(uid) > 0 else ""  # as doctor reads it
    return [
        Clause(
            f"run as a non-root user (the pod runs as UID {pod_uid}, read-only root filesystem)",
            NON_ROOT_RULE,
            evidence,
        )
    ]


def _rule_metrics(texts: Mapping[str, str]) -> list[str]:
    from platctl.yamlload import YamlParseError, load_yaml_documents

    rules: list[dict[str, Any]] = []
    for text in texts.values():
        try:
            documents = load_yaml_documents(text)
        except YamlParseError:
            continue
        rules += [r for d in documents for r in _rules_of(d)]
    recorded = {str(r["record"]) for r in rules if r.get("record")}
    names = metric_names(str(r.get("expr", "")) for r in rules) - recorded
    return sorted({_family(n) for n in names if app_metric(n)})


def _family(name: str) -> str:
    """A histogram's series (``_bucket``, ``_count``, ``_sum``) are one metric to the app."""
    for suffix in ("_bucket", "_count", "_sum"):
        if name.endswith(suffix):
            return name.removesuffix(suffix)
    return name


def _rules_of(document: Any) -> Iterator[dict[str, Any]]:
    if isinstance(document, dict) and document.get("kind") == "PrometheusRule":
        document = document.get("spec")
    groups = document.get("groups") if isinstance(document, dict) else None
    for group in groups if isinstance(groups, list) else ():
        for rule in (group.get("rules") or []) if isinstance(group, dict) else ():
            if isinstance(rule, dict):
                yield rule


def _exported(endpoints: Endpoints, metric: str) -> str:
    return "declared in the app's code" if exports(set(endpoints.metric_names), metric) else ""
