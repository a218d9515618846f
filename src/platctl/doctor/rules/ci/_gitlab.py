"""GitLab CI pipelines (``.gitlab-ci.yml``) as rules see them."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from platctl.doctor.repo import Repo

GITLAB_CI = ".gitlab-ci.yml"
RESERVED = frozenset({"default", "include", "stages", "variables", "workflow", "image", "services", "cache",
                      "before_script", "after_script", "types", "pages:deploy"})


def gitlab_pipeline(repo: Repo) -> dict[str, Any] | None:
    data = repo.yaml_first(GITLAB_CI) if repo.exists(GITLAB_CI) else None
    return data if isinstance(data, dict) else None


def gitlab_jobs(pipeline: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    """Real jobs: not reserved keywords, not hidden ``.templates``."""
    for name, job in pipeline.items():
        visible = isinstance(job, dict) and name not in RESERVED and not str(name).startswith(".")
        if visible and any(key in job for key in ("script", "trigger", "extends", "run")):
            yield str(name), job
