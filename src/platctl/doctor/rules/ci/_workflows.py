"""GitHub Actions workflows as rules see them."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from platctl.doctor.repo import Repo

WORKFLOW_GLOBS = (".github/workflows/*.yml", ".github/workflows/*.yaml")


@dataclass(frozen=True)
class Workflow:
    """A GitHub Actions workflow file and its parsed document."""

    path: str
    data: dict[str, Any]

    @property
    def triggers(self) -> Any:
        data: dict[Any, Any] = self.data
        return data.get("on", data.get(True))

    def trigger_names(self) -> set[str]:
        triggers = self.triggers
        if isinstance(triggers, str):
            return {triggers}
        if isinstance(triggers, (list, dict)):
            return {str(t) for t in triggers}
        return set()

    def jobs(self) -> Iterator[tuple[str, dict[str, Any]]]:
        jobs = self.data.get("jobs")
        if isinstance(jobs, dict):
            for job_id, job in jobs.items():
                if isinstance(job, dict):
                    yield str(job_id), job

    def line(self, node: Any = None, key: Any = None) -> int:
        target = self.data if node is None else node
        if key is not None and hasattr(target, "line_of"):
            return int(target.line_of(key)) or 1
        return int(getattr(target, "line", 1)) or 1


def workflow_paths(repo: Repo) -> list[str]:
    return repo.glob(*WORKFLOW_GLOBS)


def iter_workflows(repo: Repo) -> Iterator[Workflow]:
    """Every workflow that parses to a mapping (parse errors are reported by REPO001)."""
    for path in workflow_paths(repo):
        data = repo.yaml_first(path)
        if isinstance(data, dict):
            yield Workflow(path, data)


def iter_steps(job: dict[str, Any]) -> Iterator[dict[str, Any]]:
    steps = job.get("steps")
    if isinstance(steps, list):
        yield from (step for step in steps if isinstance(step, dict))
