"""A repository as services: every directory holding its own ``.platctl.yaml`` is one (a monorepo)."""

from __future__ import annotations

from collections.abc import Sequence

from platctl.scaffold.record import RECORD_NAME


def partition_files(files: Sequence[str], prefixes: Sequence[str]) -> dict[str, list[str]]:
    """Each file goes to the service whose directory is its deepest ancestor holding a record."""
    owned: dict[str, list[str]] = {p: [] for p in prefixes}
    known = frozenset(prefixes)
    by_directory: dict[str, str] = {}
    for path in files:
        directory = path.rpartition("/")[0]
        if directory not in by_directory:
            by_directory[directory] = owner_of(path, known)
        owned[by_directory[directory]].append(path)
    return owned


def owner_of(path: str, prefixes: Sequence[str] | frozenset[str]) -> str:
    if len(prefixes) == 1 or "/" not in path:
        return ""  # only the root service (or a file at the top): the common case, and a fast one
    parts = path.split("/")[:-1]
    for depth in range(len(parts), 0, -1):
        candidate = "/".join(parts[:depth]) + "/"
        if candidate in prefixes:
            return candidate
    return ""


def service_prefixes(files: Sequence[str]) -> list[str]:
    """``""`` for the repository root, plus ``dir/`` for every directory holding its own record."""
    nested = sorted({f[: -len(RECORD_NAME)] for f in files if f.endswith("/" + RECORD_NAME)})
    return ["", *nested]
