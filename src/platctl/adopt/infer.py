"""``platctl adopt``: bring an existing repository onto a golden path without scaffolding it anew.

What can be inferred is inferred (service name, owner, GitHub organisation,
language, description); the rest comes from ``--set`` or the template's
defaults. Only the platform files the repository lacks are added (everything
the golden path renders except the application itself: sources, tests,
README, package manifests). A file the repository already has is never
overwritten, and an artifact the repository already provides in its own way
(any workflow for CI, any Dockerfile for the container) is kept and reported.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

from platctl.errors import UserError
from platctl.safewrite import check_no_symlink_components
from platctl.scaffold.answers import DNS_LABEL, suggest_service_name
from platctl.scaffold.catalog import GoldenPath, matches_glob
from platctl.scaffold.collect import Given
from platctl.scaffold.record import RECORD_NAME

@dataclass(frozen=True)
class Inferred:
    answers: dict[str, str]
    origins: dict[str, str]  # answer -> where it came from


@dataclass(frozen=True)
class AdoptPlan:
    repo: Path
    golden_path: GoldenPath
    answers: dict[str, Any]
    origins: dict[str, str]
    add: dict[str, bytes]
    kept: tuple[str, ...]  # files the golden path has that the repo keeps as its own
    kept_artifacts: tuple[str, ...]
    notices: tuple[str, ...] = ()  # one-line warnings, e.g. staging directories left untouched


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


def plan_adopt(repo: Path, golden_path: GoldenPath, sources: Sequence[Given] = ()) -> AdoptPlan:
    """Render the golden path for this repository and decide, file by file, what to add.

    ``sources`` are the caller's answers (highest first); what the repository says comes after them.
    """
    from platctl.scaffold.api import render_golden_path
    from platctl.scaffold.collect import collect_answers
    from platctl.recovery import recover_interrupted
    from platctl.scaffold.files import read_tree

    notices = recover_interrupted(repo).left
    if os.path.lexists(repo / RECORD_NAME):
        raise UserError(f"{repo / RECORD_NAME} exists: this repository is on a golden path already (see platctl diff)")
    inferred = infer(repo)
    known = {v.name for v in golden_path.variables}
    found = Given("the repository", {k: v for k, v in inferred.answers.items() if k in known})
    answers = collect_answers(golden_path, (*sources, found))
    origins = {k: _origin(k, sources, inferred) for k in answers}
    with render_golden_path(golden_path, answers, repo) as rendered:
        files = read_tree(rendered)
        record = (rendered / RECORD_NAME).read_bytes()
    provided = [a.name for a in golden_path.artifacts if _repo_has(repo, a.present_when)]
    add, kept = {}, []
    for rel, content in sorted(files.items()):
        if any(matches_glob(rel, g) for g in golden_path.application):
            continue
        if os.path.lexists(check_no_symlink_components(repo, rel)) or _artifact_of(golden_path, rel) in provided:
            kept.append(rel)
        else:
            add[rel] = content
    add[RECORD_NAME] = record
    return AdoptPlan(repo, golden_path, answers, origins, add, tuple(kept), tuple(provided), notices)


def _repo_has(repo: Path, globs: tuple[str, ...]) -> bool:
    return any(next(repo.glob(g), None) is not None for g in globs)


def _artifact_of(golden_path: GoldenPath, rel: str) -> str | None:
    return next((a.name for a in golden_path.artifacts if any(matches_glob(rel, g) for g in a.files)), None)


def _origin(name: str, sources: Sequence[Given], inferred: Inferred) -> str:
    given = next((s.origin for s in sources if name in s.values), None)
    return given or inferred.origins.get(name, "default")


def apply_adopt(plan: AdoptPlan) -> None:
    """Add the planned files; never overwrite one that appeared meanwhile."""
    from platctl.safewrite import replace_files

    clash = [rel for rel in plan.add if os.path.lexists(check_no_symlink_components(plan.repo, rel))]
    if clash:
        raise UserError(f"{', '.join(clash)} appeared while adopting; nothing was written, run platctl adopt again")
    replace_files(plan.repo, dict(plan.add))
