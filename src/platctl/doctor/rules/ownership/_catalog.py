"""CODEOWNERS and Backstage catalog entries as rules see them."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from platctl.doctor.repo import Repo

CODEOWNERS_PATHS = ("CODEOWNERS", ".github/CODEOWNERS", "docs/CODEOWNERS")
CATALOG_PATHS = ("catalog-info.yaml", "catalog-info.yml")


def codeowners_path(repo: Repo) -> str | None:
    return repo.first_existing(*CODEOWNERS_PATHS)


def codeowners_entries(text: str) -> Iterator[tuple[int, str, list[str]]]:
    """(line, pattern, owners) for every rule line of a CODEOWNERS file."""
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.split(" #", 1)[0].strip()
        if not line or line.startswith("#"):
            continue
        pattern, *owners = line.split()
        yield number, pattern, owners


def catalog_components(repo: Repo) -> Iterator[tuple[str, dict[str, Any]]]:
    path = repo.first_existing(*CATALOG_PATHS)
    if path is None:
        return
    for doc in repo.yaml(path) or ():
        if isinstance(doc, dict) and doc.get("kind") in ("Component", "API", "Resource", "System"):
            yield path, doc


def section(doc: dict[str, Any], key: str) -> dict[str, Any]:
    value = doc.get(key)
    return value if isinstance(value, dict) else {}


def owner_slug(owner: str) -> str:
    """``group:default/team-a`` -> ``team-a``; ``@acme/team-a`` -> ``team-a``."""
    owner = owner.split(":", 1)[-1]
    return owner.rsplit("/", 1)[-1].lstrip("@").lower()
