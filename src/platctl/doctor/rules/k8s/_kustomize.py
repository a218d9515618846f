"""Kustomize as kustomize applies it: ``images:`` overrides along the chain of kustomizations that include a file.

A manifest is changed only by the kustomizations that include it, through
``resources``, ``bases`` and ``components``, directly or through the
directories they name, and each applies its ``images:`` entries to what its
children produced (innermost first). An override in a component nobody
includes changes nothing; a plain manifest folder has no chain at all. An
entry with only ``newName`` keeps the tag. skaffold's ``build.artifacts[].image``
names are images whose tag skaffold sets at deploy time.
"""

from __future__ import annotations

import posixpath
from typing import Any

from platctl.doctor.images import split_image
from platctl.doctor.repo import Repo
from platctl.doctor.rules.k8s._manifests import kustomizations

MAX_CHAINS = 64
_NAMES = ("kustomization.yaml", "kustomization.yml", "Kustomization")


def chains(repo: Repo, path: str) -> list[list[dict[str, Any]]]:
    """For each root kustomization that includes ``path``: the kustomizations from the innermost out."""
    parents = _parents(repo)
    found: list[list[dict[str, Any]]] = []
    stack: list[tuple[str, list[str]]] = [(path, [])]
    while stack and len(found) < MAX_CHAINS:
        node, chain = stack.pop()
        above = [p for p in parents.get(node, ()) if p not in chain]
        if not above and chain:
            found.append([_data(repo, k) for k in chain])
        stack.extend((parent, chain + [parent]) for parent in above)
    return found


def apply_images(image: str, chain: list[dict[str, Any]]) -> str:
    """The image after every ``images:`` entry of the chain, innermost first."""
    for data in chain:
        entries = data.get("images")
        for entry in entries if isinstance(entries, list) else ():
            if isinstance(entry, dict) and entry.get("name") == split_image(image)[0]:
                image = _override(image, entry)
    return image


def _override(image: str, entry: dict[str, Any]) -> str:
    name, tag, _ = split_image(image)
    digest = image.partition("@")[2]
    name = str(entry.get("newName") or name)
    if entry.get("digest"):
        return f"{name}@{entry['digest']}"
    if entry.get("newTag") is not None:
        return f"{name}:{entry['newTag']}"
    return name + (f":{tag}" if tag else "") + (f"@{digest}" if digest else "")


def skaffold_images(repo: Repo) -> set[str]:
    """Images skaffold builds (``build.artifacts[].image``, also in profiles): tagged at deploy time."""
    names: set[str] = set()
    for path in repo.select(("skaffold",), lambda f: f.rsplit("/", 1)[-1] in ("skaffold.yaml", "skaffold.yml")):
        for document in repo.yaml(path) or []:
            builds = [document.get("build")] if isinstance(document, dict) else []
            profiles = document.get("profiles") if isinstance(document, dict) else None
            builds += [p.get("build") for p in profiles if isinstance(p, dict)] if isinstance(profiles, list) else []
            for build in builds:
                artifacts = build.get("artifacts") if isinstance(build, dict) else None
                names |= {str(a["image"]) for a in artifacts or () if isinstance(a, dict) and a.get("image")}
    return names


def _data(repo: Repo, path: str) -> dict[str, Any]:
    data = repo.yaml_first(path)
    return data if isinstance(data, dict) else {}


def _parents(repo: Repo) -> dict[str, list[str]]:
    """Each file or kustomization, and the kustomizations that include it (computed once per run)."""
    return repo.derived("kustomize-parents", lambda: _include_graph(repo))  # type: ignore[no-any-return]


def _include_graph(repo: Repo) -> dict[str, list[str]]:
    parents: dict[str, list[str]] = {}
    for path in kustomizations(repo):
        data = _data(repo, path)
        directory = posixpath.dirname(path)
        for field in ("resources", "bases", "components"):
            entries = data.get(field)
            for entry in entries if isinstance(entries, list) else ():
                target = _resolve(repo, directory, entry)
                if target is not None:
                    parents.setdefault(target, []).append(path)
    return parents


def _resolve(repo: Repo, directory: str, entry: Any) -> str | None:
    """A local file, or a directory's kustomization; remote and missing entries are None."""
    if not isinstance(entry, str) or "://" in entry or entry.startswith(("github.com/", "git@")):
        return None
    target = posixpath.normpath(posixpath.join(directory, entry))
    if repo.exists(target):
        return target
    return next((f"{target}/{n}" for n in _NAMES if repo.exists(f"{target}/{n}")), None)
