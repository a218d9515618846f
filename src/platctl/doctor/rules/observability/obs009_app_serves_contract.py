"""Checks that the probe paths, the scrape path and the alerted metrics are ones the app's own code declares.

Kubernetes manifests and alert rules are a contract with the application: the
kubelet probes the paths the Deployment names, Prometheus scrapes the path the
ServiceMonitor names, and the alert rules read the metrics their expressions
name. When the repository holds the application's source, this rule looks for
each path and each metric name in it (a route such as ``@app.get("/healthz")``,
``'GET /readyz'`` or ``HandleFunc("/metrics", …)``; a metric such as
``Counter("http_requests_total", …)`` or ``name: 'http_requests_total'``).
Where the repository holds no source it can read, it says nothing. A metric a
well-known instrumentation library exports under its own name counts as
declared when the library is a dependency. ``platctl adopt`` writes the same
contract into the adoption report.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from platctl.doctor.model import Finding, Level, RuleMeta, Severity
from platctl.doctor.repo import Repo
from platctl.doctor.rules.k8s._manifests import iter_containers, iter_manifests, iter_workloads, line
from platctl.doctor.rules.observability._alerts import RuleGroup, iter_groups

META = RuleMeta(
    code="OBS009",
    slug="app-serves-contract",
    title="Probes, scrapes and alerts use paths and metrics the app declares",
    severity=Severity.WARNING,
    level=Level.SILVER,
    precision="medium",
    roles=("production",),
    rationale=(
        "A probe on a path the app does not serve restarts healthy pods or keeps them out of the Service; "
        "a scrape of a path it does not serve collects nothing; an alert over a metric the app never "
        "exports can never fire. Each looks right in review and fails only in production."
    ),
    example='livenessProbe:\n  httpGet: {path: /healthz, port: http}   # the app serves /api/health only',
    fix_example='livenessProbe:\n  httpGet: {path: /api/health, port: http}',
)

SOURCE_SUFFIXES = (".py", ".js", ".mjs", ".cjs", ".ts", ".mts", ".go", ".java", ".kt", ".rb", ".rs", ".cs", ".php")
_NOT_SOURCE = ("node_modules/", "vendor/", "deploy/", "observability/", "terraform/", ".github/", "dist/", "build/")
_PATH_LITERAL = re.compile(r"""["'`](?:(?:GET|HEAD|POST|PUT) )?(/[A-Za-z0-9_.~/{}:-]*)["'`]""")
_NAME_LITERAL = re.compile(r"""["'`]([a-zA-Z_:][a-zA-Z0-9_:]*)["'`]""")
_SELECTOR = re.compile(r"\b([a-zA-Z_:][a-zA-Z0-9_:]*)\s*(?:\{|\[)")
_NOT_APP = ("scrape_", "kube_", "container_", "node_", "kubelet_", "apiserver_", "prometheus_", "probe_")
_SUFFIXES = ("_bucket", "_count", "_sum", "_total", "_created")
# Instrumentation libraries that export metrics under their own names: (dependency, names).
LIBRARY_METRICS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("prometheus-fastapi-instrumentator", ("http_requests_total", "http_request_duration_seconds")),
    ("starlette-exporter", ("starlette_requests_total", "starlette_request_duration_seconds")),
    ("express-prom-bundle", ("http_request_duration_seconds",)),
)
_PROMQL_WORDS = frozenset({"by", "without", "on", "ignoring", "group_left", "group_right", "offset", "bool", "and",
                           "or", "unless", "sum", "rate", "irate", "increase", "avg", "max", "min", "count",
                           "histogram_quantile", "absent", "clamp_min", "clamp_max", "vector", "label_replace"})


def check(repo: Repo, options: Mapping[str, Any]) -> Iterator[Finding]:
    served = list(_served_paths(repo))
    groups = list(iter_groups(repo))
    if not served and not groups:
        return  # no contract to hold the code to: its sources are not read
    sources = [p for p in repo.with_suffix(*SOURCE_SUFFIXES) if not p.startswith(_NOT_SOURCE)]
    if not sources:
        return
    texts = [t for t in (repo.text(p) for p in sources) if t]
    manifests = [p for p in ("package.json", "pyproject.toml", "requirements.txt", "go.mod") if repo.exists(p)]
    texts += [t for t in (repo.text(p) for p in manifests) if t]
    paths = declared_paths(texts) if served else set()
    for where, lineno, path in served:
        if not serves(paths, path):
            yield META.finding(f"{path} is probed or scraped but no route in the app's code declares it", where, lineno)
    if groups:
        yield from _unexported_metrics(groups, declared_metrics(texts))


def _unexported_metrics(groups: list[RuleGroup], names: set[str]) -> Iterator[Finding]:
    recorded = {str(r.get("record")) for g in groups for r in g.rules() if r.get("record")}
    seen: set[tuple[str, str]] = set()
    for group in groups:
        for rule in group.rules():
            for metric in sorted(metric_names([str(rule.get("expr", ""))]) - recorded):
                if (group.path, metric) in seen or not app_metric(metric) or exports(names, metric):
                    continue
                seen.add((group.path, metric))
                yield META.finding(f"the rules read {metric}, which the app's code does not declare: alerts over it "
                                   "cannot fire", group.path, line(rule))


def declared_paths(texts: Iterable[str]) -> set[str]:
    """Every quoted absolute path in the code (``"/healthz"``, ``'GET /readyz'``)."""
    return {m.group(1) for text in texts for m in _PATH_LITERAL.finditer(text)}


def serves(declared: set[str], path: str) -> bool:
    """Whether a declared route ends the probed path (a router prefix may come before it)."""
    wanted = path.rstrip("/") or "/"
    return any(d.rstrip("/") and wanted.endswith(d.rstrip("/")) for d in declared) or path in declared


def declared_metrics(texts: Iterable[str]) -> set[str]:
    """Every quoted metric-like name in the code, plus the names of instrumentation libraries it depends on."""
    texts = list(texts)
    names = {m.group(1) for text in texts for m in _NAME_LITERAL.finditer(text)}
    for library, exported in LIBRARY_METRICS:
        if any(library in text or library.replace("-", "_") in text for text in texts):
            names.update(exported)
    return names


def exports(declared: set[str], metric: str) -> bool:
    """Whether ``metric`` (as PromQL reads it) is declared, by its own name or its family's."""
    family = metric
    for suffix in _SUFFIXES:
        family = family.removesuffix(suffix)
    return bool({metric, family, family + "_total", metric.removesuffix("_total")} & declared)


def app_metric(name: str) -> bool:
    """Whether the application would export ``name`` (not Prometheus, Kubernetes or a recording rule)."""
    return ":" not in name and name not in ("up", "ALERTS", "ALERTS_FOR_STATE") and not name.startswith(_NOT_APP)


def metric_names(expressions: Iterable[str]) -> set[str]:
    """The metric names PromQL expressions select (``name{...}`` or ``name[5m]``)."""
    found = {m.group(1) for e in expressions for m in _SELECTOR.finditer(e)}
    return {n for n in found if n not in _PROMQL_WORDS}


def _served_paths(repo: Repo) -> Iterator[tuple[str, int, str]]:
    for manifest, pod in iter_workloads(repo):
        for container in iter_containers(pod):
            for probe in ("startupProbe", "livenessProbe", "readinessProbe"):
                get = (container.get(probe) or {}).get("httpGet") if isinstance(container.get(probe), dict) else None
                if isinstance(get, dict) and isinstance(get.get("path"), str):
                    yield manifest.path, line(get, "path"), get["path"]
    for manifest in iter_manifests(repo, ("ServiceMonitor",)):
        endpoints = (manifest.doc.get("spec") or {}).get("endpoints")
        for endpoint in endpoints if isinstance(endpoints, list) else ():
            if isinstance(endpoint, dict) and isinstance(endpoint.get("path"), str):
                yield manifest.path, line(endpoint, "path"), endpoint["path"]
