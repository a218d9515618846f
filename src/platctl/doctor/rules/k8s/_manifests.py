"""Kubernetes manifests as rules see them: workloads, their pod specs and containers."""

from __future__ import annotations

import functools
import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from platctl.doctor.repo import Repo
from platctl.scaffold.record import RECORD_NAME

WORKLOAD_KINDS = ("Deployment", "StatefulSet", "DaemonSet", "ReplicaSet", "Job", "CronJob", "Pod")
_NOT_MANIFESTS = (".github/", RECORD_NAME, ".pre-commit", ".yamllint", "mkdocs.yml")


@dataclass(frozen=True)
class Manifest:
    """One Kubernetes object from a YAML stream, and the file it came from."""

    path: str
    doc: dict[str, Any]

    @property
    def kind(self) -> str:
        return str(self.doc.get("kind", ""))

    @property
    def name(self) -> str:
        metadata = self.doc.get("metadata")
        return str(metadata.get("name", "?")) if isinstance(metadata, dict) else "?"

    @property
    def line(self) -> int:
        return int(getattr(self.doc, "line", 1)) or 1

    def pod_spec(self) -> dict[str, Any] | None:
        spec: Any = self.doc.get("spec")
        path = {"Pod": (), "CronJob": ("jobTemplate", "spec", "template", "spec")}.get(self.kind, ("template", "spec"))
        for key in path:
            spec = spec.get(key) if isinstance(spec, dict) else None
        return spec if isinstance(spec, dict) else None


def iter_manifests(repo: Repo, kinds: tuple[str, ...]) -> Iterator[Manifest]:
    """The repository's Kubernetes documents of these kinds (found once per run and kinds; a dozen rules ask).

    Only production paths are read: every rule that asks checks only those (a test fixture's
    Deployment is nobody's deployment). A file is parsed only when its text has a document's own
    ``kind:`` naming one of them: a chart's CRDs (hundreds of kilobytes of schema each) are never
    parsed for rules that read Deployments.
    """
    yield from repo.derived(f"k8s-manifests:{','.join(kinds)}", lambda: list(_read_manifests(repo, kinds)))


def _read_manifests(repo: Repo, kinds: tuple[str, ...]) -> Iterator[Manifest]:
    patches = _kustomize_patches(repo)
    for path in repo.with_suffix(".yaml", ".yml"):
        if path.startswith(_NOT_MANIFESTS) or "/templates/" in f"/{path}" or path in patches:
            continue
        if repo.role(path) != "production":
            continue
        text = repo.text(path)
        if text is None or "apiVersion" not in text or not names_kind(text, kinds):
            continue
        for doc in repo.yaml(path) or []:
            if isinstance(doc, dict) and "apiVersion" in doc and doc.get("kind") in kinds:
                yield Manifest(path, doc)


def names_kind(text: str, kinds: tuple[str, ...]) -> bool:
    """Whether a ``kind:`` of these kinds can be a document's own: at the start of a line, a quoted key
    (JSON) or in a flow mapping. An indented one belongs to something nested (a Helm values file's
    ``kind: Deployment`` option), which no rule reads as a manifest."""
    for match in _kind_line(kinds).finditer(text):
        start = blank = match.start()
        while blank and text[blank - 1] in " \t":
            blank -= 1
        if not blank or text[start - 1] in "\n\"'\ufeff" or text[blank - 1] in "{,":
            return True
    return False


@functools.lru_cache(maxsize=16)
def _kind_line(kinds: tuple[str, ...]) -> re.Pattern[str]:
    """``kind: Deployment`` anywhere: block or flow style, quoted or not, CRLF or not (a loose match only
    spares files that cannot hold such a document; the parsed ``kind`` decides)."""
    names = "|".join(re.escape(kind) for kind in kinds)
    return re.compile(rf"""kind["']?[ \t]*:[ \t]*["']?(?:{names})\b""")


def iter_workloads(repo: Repo) -> Iterator[tuple[Manifest, dict[str, Any]]]:
    for manifest in iter_manifests(repo, WORKLOAD_KINDS):
        if manifest.kind in WORKLOAD_KINDS:
            pod = manifest.pod_spec()
            if pod is not None:
                yield manifest, pod


def iter_containers(pod: dict[str, Any], init: bool = False) -> Iterator[dict[str, Any]]:
    keys = ("containers", "initContainers") if init else ("containers",)
    for key in keys:
        containers = pod.get(key)
        if isinstance(containers, list):
            yield from (c for c in containers if isinstance(c, dict))


def line(node: Any, key: Any = None) -> int:
    if key is not None and hasattr(node, "line_of"):
        return int(node.line_of(key)) or 1
    return int(getattr(node, "line", 1)) or 1


def security_value(pod: dict[str, Any], container: dict[str, Any], key: str) -> Any:
    """A securityContext setting, the container's overriding the pod's."""
    for context in (container.get("securityContext"), pod.get("securityContext")):
        if isinstance(context, dict) and key in context:
            return context[key]
    return None


def kustomizations(repo: Repo) -> list[str]:
    return repo.select(("kustomizations",), lambda f: f.endswith(("kustomization.yaml", "kustomization.yml"))
                       and f.rsplit("/", 1)[-1] in ("kustomization.yaml", "kustomization.yml"))


def _kustomize_patches(repo: Repo) -> set[str]:
    patches: set[str] = set()
    for path in kustomizations(repo):
        data = repo.yaml_first(path)
        if not isinstance(data, dict):
            continue
        directory = posixpath.dirname(path)
        for entry in list(data.get("patches") or []) + list(data.get("patchesStrategicMerge") or []):
            target = entry.get("path") if isinstance(entry, dict) else entry
            if isinstance(target, str):
                patches.add(posixpath.normpath(posixpath.join(directory, target)))
    return patches
