"""List a repository's files once: git-aware, ignore-aware, never leaving the tree."""

from __future__ import annotations

import fnmatch
import os
import subprocess
from pathlib import Path

from platctl.doctor.model import Skip

PRUNED_DIRS = frozenset({".git", ".hg", ".svn", "node_modules", ".venv", "venv", "__pycache__", ".terraform",
                         ".tox", ".mypy_cache", ".pytest_cache", ".ruff_cache"})


def list_repo_files(root: Path) -> tuple[list[str], list[Skip]]:
    """Repo-relative posix paths of every file doctor may read, and symlinks it refused."""
    names = _git_files(root)
    if names is None:
        names = _walk_files(root)
    return _filter_links(root, names)


def _git_files(root: Path) -> list[str] | None:
    if not _inside_git(root):
        return None
    try:
        done = subprocess.run(
            ["git", "-C", str(root), "ls-files", "-z", "-co", "--exclude-standard"],
            capture_output=True, check=False, timeout=60,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    if done.returncode != 0:
        return None
    names = {n for n in done.stdout.decode("utf-8", "surrogateescape").split("\0") if n}
    return sorted(n for n in names if os.path.lexists(root / n))


def _inside_git(root: Path) -> bool:
    return any((parent / ".git").exists() for parent in (root, *root.parents))


def _walk_files(root: Path) -> list[str]:
    ignores = _read_gitignore(root)
    found: list[str] = []
    for directory, dirs, files in os.walk(root, followlinks=False):
        rel_dir = os.path.relpath(directory, root).replace(os.sep, "/")
        prefix = "" if rel_dir == "." else rel_dir + "/"
        dirs[:] = sorted(d for d in dirs if d not in PRUNED_DIRS and not _ignored(prefix + d, ignores, True))
        found.extend(prefix + f for f in sorted(files) if not _ignored(prefix + f, ignores, False))
    return found


def _read_gitignore(root: Path) -> list[str]:
    try:
        text = (root / ".gitignore").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return []
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith(("#", "!"))]


def _ignored(path: str, patterns: list[str], is_dir: bool) -> bool:
    name = path.rsplit("/", 1)[-1]
    for pattern in patterns:
        if pattern.endswith("/"):
            if not is_dir:
                continue
            pattern = pattern[:-1]
        anchored = pattern.startswith("/") or "/" in pattern.rstrip("/")
        pattern = pattern.lstrip("/")
        if fnmatch.fnmatchcase(path if anchored else name, pattern):
            return True
    return False


def _filter_links(root: Path, names: list[str]) -> tuple[list[str], list[Skip]]:
    real_root = os.path.realpath(root)
    kept: list[str] = []
    skips: list[Skip] = []
    for name in names:
        if "{{" in name and "cookiecutter" in name:
            skips.append(Skip(name, "template source (Jinja), not a rendered file; render it to check it"))
            continue
        full = os.path.join(root, name)
        if os.path.islink(full):
            target = os.path.realpath(full)
            if os.path.commonpath([real_root, target]) != real_root:
                skips.append(Skip(name, "symlink points outside the repository; not followed"))
                continue
            if not os.path.isfile(target):
                skips.append(Skip(name, "symlink to a directory or a missing file; not followed"))
                continue
        kept.append(name)
    return kept, skips
