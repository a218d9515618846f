"""Grafana dashboards as rules see them."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from platctl.doctor.repo import Repo


def iter_dashboards(repo: Repo) -> Iterator[tuple[str, dict[str, Any]]]:
    for path in repo.with_suffix(".json"):
        if "dashboard" not in path.lower():
            continue
        data = repo.json(path)
        if isinstance(data, dict) and isinstance(data.get("dashboard"), dict):
            data = data["dashboard"]
        if isinstance(data, dict) and ("panels" in data or "rows" in data):
            yield path, data
