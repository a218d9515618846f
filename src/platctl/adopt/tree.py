"""A repository being adopted, read as untrusted input: its files listed once, none reached through a symlink."""

from __future__ import annotations

import fnmatch
import functools
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from platctl.errors import UserError
from platctl.safewrite import check_no_symlink_components

SKIPPED_DIRS = frozenset({".git", "node_modules", ".venv", "venv", "vendor", "dist", "build", "__pycache__", ".tox",
                          "target", ".next", "coverage", ".mypy_cache", ".pytest_cache"})
MAX_FILES = 20_000  # a larger tree is read only so far
MAX_BYTES = 1_000_000  # a larger file is not read at all


@dataclass(frozen=True)
class Tree:
    """The regular files of a repository (POSIX paths), and readers that never follow a symlink."""

    root: Path
    files: tuple[str, ...]

    def has(self, rel: str) -> bool:
        return rel in self._index

    @functools.cached_property
    def _index(self) -> frozenset[str]:
        return frozenset(self.files)

    def glob(self, pattern: str, under: str = "") -> list[str]:
        """Files matching a manifest glob, ``*`` within one path segment, ``dir/**`` everything below dir."""
        prefix = f"{under}/" if under else ""
        return [f for f in self.files if f.startswith(prefix) and _matches(f[len(prefix):], pattern)]

    def text(self, rel: str) -> str | None:
        if rel not in self._index:
            return None
        try:
            path = check_no_symlink_components(self.root, rel)
            if path.stat().st_size > MAX_BYTES:
                return None
            return path.read_text(encoding="utf-8", errors="replace")
        except (OSError, UserError):
            return None

    def yaml_documents(self, rel: str) -> list[Any]:
        from platctl.yamlload import YamlParseError, load_yaml_documents

        text = self.text(rel)
        try:
            return load_yaml_documents(text) if text else []
        except YamlParseError:
            return []

    def json(self, rel: str) -> dict[str, Any]:
        text = self.text(rel)
        try:
            data = json.loads(text) if text else {}
        except ValueError:
            return {}
        return data if isinstance(data, dict) else {}

    def toml(self, rel: str) -> dict[str, Any]:
        import tomllib

        text = self.text(rel)
        try:
            return tomllib.loads(text) if text else {}
        except tomllib.TOMLDecodeError:
            return {}


def _matches(path: str, pattern: str) -> bool:
    if pattern.endswith("/**"):
        return path.startswith(pattern[:-2])
    parts, wanted = path.split("/"), pattern.split("/")
    return len(parts) == len(wanted) and all(fnmatch.fnmatchcase(p, w) for p, w in zip(parts, wanted, strict=False))


def read_tree(root: Path) -> Tree:
    """List the repository once: regular files only, symlinks and dependency folders left out."""
    files: list[str] = []
    for current, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in SKIPPED_DIRS and not os.path.islink(os.path.join(current, d)))
        rel = os.path.relpath(current, root).replace(os.sep, "/")
        for name in sorted(names):
            if not os.path.islink(os.path.join(current, name)):
                files.append(name if rel == "." else f"{rel}/{name}")
        if len(files) >= MAX_FILES:
            break
    return Tree(root, tuple(files[:MAX_FILES]))
