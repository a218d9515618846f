"""What the repository itself says about its name, owner, organisation and description, and which
bundled golden path speaks its language."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from platctl.errors import UserError
from platctl.safewrite import check_no_symlink_components
from platctl.scaffold.answers import DNS_LABEL, suggest_service_name


@dataclass(frozen=True)
class Inferred:
    answers: dict[str, str]
    origins: dict[str, str]  # answer -> where it came from


def infer(repo: Path) -> Inferred:
    """What the repository itself says about its name, owner, organisation and language."""
    answers: dict[str, str] = {}
    origins: dict[str, str] = {}
    remote = _git_remote(repo)
    org, name = _github_slug(remote) if remote else (None, None)
    candidate = name or repo.resolve().name
    service = candidate if DNS_LABEL.match(candidate) else suggest_service_name(candidate)
    if service:
        answers["service_name"], origins["service_name"] = service, "git remote" if name else "directory name"
    if org:
        answers["github_org"], origins["github_org"] = org, "git remote"
    owner, where = _owner(repo)
    if owner:
        answers["owner"], origins["owner"] = owner, where
    description = _catalog(repo).get("metadata", {}).get("description")
    if isinstance(description, str) and description.strip():
        answers["description"], origins["description"] = description.strip(), "catalog-info.yaml"
    return Inferred(answers, origins)


def _own_file(repo: Path, rel: str) -> Path | None:
    """``repo / rel`` when it is a regular file reached through no symlink; None otherwise."""
    try:
        path = check_no_symlink_components(repo, rel)
    except UserError:
        return None
    return path if path.is_file() else None


def _git_remote(repo: Path) -> str | None:
    config = _own_file(repo, ".git/config")
    if config is None:
        return None
    match = re.search(r'\[remote "origin"\][^\[]*?url\s*=\s*(\S+)', config.read_text(errors="replace"))
    return match[1] if match else None


def _github_slug(url: str) -> tuple[str | None, str | None]:
    match = re.search(r"[:/]([A-Za-z0-9-]+)/([A-Za-z0-9._-]+?)(?:\.git)?/?$", url)
    return (match[1], match[2]) if match else (None, None)


def _owner(repo: Path) -> tuple[str | None, str]:
    owner = _catalog(repo).get("spec", {}).get("owner")
    if isinstance(owner, str) and owner:
        return owner, "catalog-info.yaml"
    for path in ("CODEOWNERS", ".github/CODEOWNERS", "docs/CODEOWNERS"):
        match = _codeowners_default(_own_file(repo, path))
        if match:
            return match, path
    return None, ""


def _codeowners_default(path: Path | None) -> str | None:
    if path is None:
        return None
    for line in path.read_text(errors="replace").splitlines():
        parts = line.split("#", 1)[0].split()
        if len(parts) >= 2 and parts[0] == "*" and parts[1].startswith("@"):
            return parts[1].rsplit("/", 1)[-1].lstrip("@")
    return None


def _catalog(repo: Path) -> dict[str, Any]:
    """The repository's catalog entry, read with the bounded loader (the repository is untrusted)."""
    from platctl.yamlload import YamlParseError, load_yaml_documents

    for name in ("catalog-info.yaml", "catalog-info.yml"):
        path = _own_file(repo, name)
        if path is not None:
            try:
                documents = load_yaml_documents(path.read_text(errors="replace"))
            except YamlParseError:
                return {}
            data = documents[0] if documents else None
            return dict(data) if isinstance(data, dict) else {}
    return {}


def choose_golden_path(repo: Path) -> str:
    """The bundled golden path whose language markers the repository has, else the default one."""
    from platctl.scaffold.catalog import default_golden_path, list_golden_paths

    for golden_path in sorted(list_golden_paths(), key=lambda g: not g.default):
        if any(_own_file(repo, marker) for marker in golden_path.language_markers):
            return golden_path.name
    return default_golden_path()
