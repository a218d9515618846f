"""Dockerfiles as rules see them, and what kind of images a repository builds."""

from __future__ import annotations

from collections.abc import Iterator

from platctl.doctor.dockerfile import Dockerfile, Stage
from platctl.doctor.repo import Repo

_TEMPLATE_SUFFIXES = (".template", ".tmpl", ".tpl", ".j2", ".jinja", ".jinja2", ".erb", ".in", ".mustache")
_NOT_DOCKERFILES = (".dockerignore", ".md", ".txt", ".orig", ".bak", ".sh", ".json", ".yml", ".yaml")
# Application source: a repository with none of it (outside tests, examples and dev tooling) builds base images.
_SOURCE = (".py", ".go", ".js", ".mjs", ".ts", ".tsx", ".java", ".kt", ".scala", ".cs", ".fs", ".rb", ".php", ".rs",
           ".ex", ".exs", ".erl", ".clj", ".c", ".cc", ".cpp", ".swift", ".dart", ".lua", ".vue", ".svelte")


def is_dockerfile(path: str) -> bool:
    """Dockerfile, Containerfile and their variants (Dockerfile.prod, Dockerfile-alpine, api.Dockerfile)."""
    name = path.rsplit("/", 1)[-1]
    lowered = name.lower()
    if lowered in ("dockerfile", "containerfile"):
        return True
    variant = lowered.startswith(("dockerfile.", "dockerfile-", "containerfile.")) or lowered.endswith(".dockerfile")
    return variant and not lowered.endswith(_NOT_DOCKERFILES)


def dockerfile_paths(repo: Repo) -> list[str]:
    """Every Dockerfile the rules check; a template one (Dockerfile.template) is listed as not checked."""
    paths = repo.select(("dockerfiles",), is_dockerfile)
    for path in paths:
        if path.lower().endswith(_TEMPLATE_SUFFIXES):
            repo.not_checked(path, "Dockerfile template: not a Dockerfile until rendered; not checked")
    return [p for p in paths if not p.lower().endswith(_TEMPLATE_SUFFIXES)]


def iter_dockerfiles(repo: Repo) -> Iterator[Dockerfile]:
    for path in dockerfile_paths(repo):
        parsed = repo.dockerfile(path)
        if parsed is not None and parsed.stages:
            yield parsed


def builds_base_images(repo: Repo) -> bool:
    """No application source outside tests, examples and dev tooling: the Dockerfiles are base images
    (an official-image library such as docker-library/python), which others build on and harden."""
    return bool(repo.derived("builds-base-images", lambda: not any(
        f.endswith(_SOURCE) and repo.role(f) == "production" for f in repo.files)))


_NOT_SHIPPED = ("dev", "dev-envs", "devcontainer", "debug", "test", "tests", "testing", "lint", "ci")


def final_stage(dockerfile: Dockerfile) -> Stage:
    """The stage the image ships: the last one, unless it is a dev, debug or test target (Docker Desktop's
    dev-envs), in which case the last stage before it."""
    shipped = [s for s in dockerfile.stages if (s.name or "").lower() not in _NOT_SHIPPED]
    return shipped[-1] if shipped else dockerfile.stages[-1]


def stage_names(dockerfile: Dockerfile) -> set[str]:
    return {s.name.lower() for s in dockerfile.stages if s.name}
