"""Where the app listens and what it serves: its port, health and readiness paths and metrics endpoint,
read from existing Kubernetes manifests, the compose file, the Dockerfile, then the code itself."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Iterator

from platctl.adopt.detect import ComposeService, Fact
from platctl.adopt.tree import Tree
from platctl.doctor.rules.observability.obs009_app_serves_contract import (
    SOURCE_SUFFIXES,
    declared_metrics,
    declared_paths,
)

MAX_SOURCES = 2_000
_URL = re.compile(r"https?://(?:localhost|127\.0\.0\.1|0\.0\.0\.0)(?::(\d+))?(/[A-Za-z0-9_.~/-]*)?")
_DOCKER_PORT = re.compile(r"^\s*(?:EXPOSE\s+(\d+)|ENV\s+PORT[= ](\d+))", re.MULTILINE | re.IGNORECASE)
_CODE_PORT = re.compile(r"""(?:\.listen\(\s*|PORT\s*(?:\|\||\?\?|,|=|:-)\s*["']?|port\s*[=:]\s*)(\d{4,5})\b""")
_HEALTH = re.compile(r"health|livez|liveness|alive|ping", re.IGNORECASE)
_READY = re.compile(r"ready|readiness", re.IGNORECASE)
METRICS_LIBRARIES = ("prom-client", "express-prom-bundle", "prometheus_client", "prometheus-client",
                     "prometheus-fastapi-instrumentator", "starlette-exporter", "prometheus/client_golang")


@dataclass(frozen=True)
class Endpoints:
    port: Fact | None = None
    health: Fact | None = None
    ready: Fact | None = None
    metrics: Fact | None = None
    metric_names: frozenset[str] = frozenset()


def detect_endpoints(tree: Tree, own: str, compose: ComposeService | None) -> Endpoints:
    sources = _sources(tree, own)
    probes = dict(_manifest_probes(tree, own))
    urls = list(_healthcheck_urls(tree, own, compose))
    port = probes.get("port") or _compose_port(compose) or _first_port(urls) or _dockerfile_port(tree, own)
    routes = {p: f for f, text in sources for p in declared_paths([text])}
    health = probes.get("health") or next((Fact(p, f.source) for p, f in urls if p and p != "/"), None)
    health = health or _route(routes, _HEALTH)
    ready = probes.get("ready") or _route(routes, _READY) or health
    metrics = probes.get("metrics") or _metrics(tree, own, routes)
    return Endpoints(port or _code_port(sources), health, ready, metrics,
                     frozenset(declared_metrics(t for _, t in sources)))


def _sources(tree: Tree, own: str) -> list[tuple[str, str]]:
    prefix = f"{own}/" if own else ""
    skipped = tuple(prefix + d for d in ("deploy/", "observability/", "terraform/"))
    paths = [
        f for f in tree.files if f.startswith(prefix) and f.endswith(SOURCE_SUFFIXES) and not f.startswith(skipped)
    ]
    return [(p, t) for p in paths[:MAX_SOURCES] for t in [tree.text(p)] if t]


def _manifest_probes(tree: Tree, own: str) -> Iterator[tuple[str, Fact]]:
    """Probe paths and the container port of Deployments (and the ServiceMonitor path) already in the repository."""
    prefix = f"{own}/" if own else ""
    for rel in [f for f in tree.files if f.startswith(prefix) and f.endswith((".yaml", ".yml"))]:
        text = tree.text(rel) or ""
        if "containerPort" not in text and "ServiceMonitor" not in text:
            continue
        for document in tree.yaml_documents(rel):
            yield from _from_manifest(document, rel)


def _from_manifest(document: Any, rel: str) -> Iterator[tuple[str, Fact]]:
    if not isinstance(document, dict) or "{{" in str(document.get("metadata", "")):
        return
    if document.get("kind") == "ServiceMonitor":
        for endpoint in (document.get("spec") or {}).get("endpoints") or []:
            if isinstance(endpoint, dict) and isinstance(endpoint.get("path"), str):
                yield "metrics", Fact(endpoint["path"], rel)
    pod = (
        ((document.get("spec") or {}).get("template") or {}).get("spec")
        if document.get("kind") == "Deployment"
        else None
    )
    for container in (pod or {}).get("containers") or []:
        if not isinstance(container, dict):
            continue
        for name, probe in (("health", "livenessProbe"), ("ready", "readinessProbe")):
            path = ((container.get(probe) or {}).get("httpGet") or {}).get("path")
            if isinstance(path, str):
                yield name, Fact(path, f"{rel} ({probe})")
        ports = [p.get("containerPort") for p in container.get("ports") or [] if isinstance(p, dict)]
        if ports and isinstance(ports[0], int):
            yield "port", Fact(str(ports[0]), f"{rel} (containerPort)")


def _healthcheck_urls(tree: Tree, own: str, compose: ComposeService | None) -> Iterator[tuple[str, Fact]]:
    """(path, port) of the URLs a compose or Dockerfile health check calls."""
    texts = (
        [(f"{compose.file} ({compose.name} healthcheck)", str((compose.spec.get("healthcheck") or {}).get("test")))]
        if compose
        else []
    )
    dockerfile = f"{own}/Dockerfile" if own else "Dockerfile"
    lines = (tree.text(dockerfile) or "").splitlines()
    texts.append((f"{dockerfile} HEALTHCHECK", "\n".join(x for x in lines if "HEALTHCHECK" in x or "CMD" in x)))
    for source, text in texts:
        for match in _URL.finditer(text):
            yield match.group(2) or "", Fact(match.group(1) or "", source)


def _first_port(urls: list[tuple[str, Fact]]) -> Fact | None:
    return next((Fact(f.value, f.source) for _, f in urls if f.value), None)


def _compose_port(compose: ComposeService | None) -> Fact | None:
    if compose is None:
        return None
    labels = compose.spec.get("labels") or []
    for label in labels if isinstance(labels, list) else [f"{k}={v}" for k, v in labels.items()]:
        match = re.search(r"loadbalancer\.server\.port=(\d+)$", str(label))
        if match:
            return Fact(match.group(1), f"{compose.file} ({compose.name} Traefik label)")
    for entry in [*(compose.spec.get("ports") or []), *(compose.spec.get("expose") or [])]:
        match = re.search(r"(\d+)(?:/(?:tcp|udp))?[\"']?$", str(entry))
        if match:
            return Fact(match.group(1), f"{compose.file} ({compose.name} ports)")
    return None


def _dockerfile_port(tree: Tree, own: str) -> Fact | None:
    dockerfile = f"{own}/Dockerfile" if own else "Dockerfile"
    match = _DOCKER_PORT.search(tree.text(dockerfile) or "")
    return (
        Fact(match.group(1) or match.group(2), f"{dockerfile} {'EXPOSE' if match.group(1) else 'ENV PORT'}")
        if match
        else None
    )


def _code_port(sources: list[tuple[str, str]]) -> Fact | None:
    for path, text in sources:
        match = _CODE_PORT.search(text)
        if match:
            return Fact(match.group(1), path)
    return None


def _route(routes: dict[str, str], pattern: re.Pattern[str]) -> Fact | None:
    found = sorted(p for p in routes if pattern.search(p) and "{" not in p)
    return Fact(found[0], routes[found[0]]) if found else None


def _metrics(tree: Tree, own: str, routes: dict[str, str]) -> Fact | None:
    if "/metrics" in routes:
        return Fact("/metrics", routes["/metrics"])
    prefix = f"{own}/" if own else ""
    for manifest in ("package.json", "pyproject.toml", "requirements.txt", "go.mod"):
        text = tree.text(prefix + manifest) or ""
        library = next((lib for lib in METRICS_LIBRARIES if lib in text), None)
        if library:
            return Fact("/metrics", f"{prefix}{manifest} ({library})")
    return None
