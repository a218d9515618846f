"""List a repository's files once: git-aware, ignore-aware, never leaving the tree."""

from __future__ import annotations

import fnmatch
import os
import subprocess
from pathlib import Path

from platctl.doctor.model import Skip
from platctl.gitcmd import git_command

PRUNED_DIRS = frozenset({".git", ".hg", ".svn", "node_modules", ".venv", "venv", "__pycache__", ".terraform",
                         ".tox", ".mypy_cache", ".pytest_cache", ".ruff_cache"})


def list_repo_files(root: Path) -> tuple[list[str], list[Skip]]:
    """Repo-relative posix paths of every file doctor may read, and symlinks it refused."""
    listed = _git_files(root)
    if listed is None:
        return _filter_links(root, _walk_files(root))
    names, maybe_links = listed
    return _filter_links(root, names, maybe_links)


def _git_files(root: Path) -> tuple[list[str], set[str]] | None:
    """Tracked files still on disk plus untracked ones not ignored, and which of them may be links.

    Git's index knows which tracked files are symlinks (mode 120000) and which
    were deleted, so only untracked names need a look at the filesystem.
    """
    if not inside_git(root):
        return None
    staged, deleted, others = _git_all(root, LISTINGS)
    if staged is None or deleted is None or others is None:
        return None
    tracked: dict[str, str] = {}
    for entry in staged:
        mode, _, rest = entry.partition(" ")
        tracked[rest.split("\t", 1)[-1]] = mode
    gone = set(deleted)
    names = {n for n, mode in tracked.items() if n not in gone and mode != "160000"}
    names.update(others)
    maybe_links = {n for n, mode in tracked.items() if mode == "120000"} | set(others)
    return sorted(names), maybe_links


LISTINGS = [["ls-files", "-z", "-s"], ["ls-files", "-z", "-d"], ["ls-files", "-z", "-o", "--exclude-standard"]]
# git listings started ahead of need (see ``prefetch_listing``), by repository root.
_PREFETCHED: dict[Path, list[subprocess.Popen[bytes]]] = {}


def prefetch_listing(root: Path) -> None:
    """Start the git listings of ``root`` now, so they run while the rules are imported and configured."""
    root = root.resolve()
    if root not in _PREFETCHED and root.is_dir() and inside_git(root):
        try:
            _PREFETCHED[root] = _start(root, LISTINGS)
        except OSError:
            return


def _start(root: Path, commands: list[list[str]]) -> list[subprocess.Popen[bytes]]:
    return [subprocess.Popen(git_command("-C", str(root), *args), stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
            for args in commands]


def _git_all(root: Path, commands: list[list[str]]) -> list[list[str] | None]:
    """Run several read-only git commands at once (they are independent) and split their NUL output."""
    prefetched = _PREFETCHED.pop(root.resolve(), None) if commands == LISTINGS else None
    try:
        running = prefetched or _start(root, commands)
    except OSError:
        return [None] * len(commands)
    results: list[list[str] | None] = []
    for process in running:
        try:
            out, _ = process.communicate(timeout=60)
        except subprocess.SubprocessError:
            process.kill()
            results.append(None)
            continue
        ok = process.returncode == 0
        results.append([n for n in out.decode("utf-8", "surrogateescape").split("\0") if n] if ok else None)
    return results


def inside_git(root: Path) -> bool:
    """Whether ``root`` lies in a git work tree (it or a parent holds ``.git``)."""
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


def _filter_links(root: Path, names: list[str], maybe_links: set[str] | None = None) -> tuple[list[str], list[Skip]]:
    """Drop template sources and links that leave the tree or do not lead to a file.

    ``maybe_links``: the only names that can be links (from git's index); None: look at every name.
    """
    real_root = os.path.realpath(root)
    kept: list[str] = []
    skips: list[Skip] = []
    for name in names:
        refused = _refused_link(real_root, root, name) if maybe_links is None or name in maybe_links else None
        if refused is not None:
            skips.append(refused)
        elif "{{" in name and "cookiecutter" in name:
            skips.append(Skip(name, "template source (Jinja), not a rendered file; render it to check it", True))
        else:
            kept.append(name)
    return kept, skips


def _refused_link(real_root: str, root: Path, name: str) -> Skip | None:
    """Why a symlink is not followed (it leaves the tree, or does not lead to a file); None for other files."""
    if not os.path.islink(full := os.path.join(root, name)):
        return None
    target = os.path.realpath(full)
    if os.path.commonpath([real_root, target]) != real_root:
        return Skip(name, "symlink points outside the repository; not followed")
    if not os.path.isfile(target):
        return Skip(name, "symlink to a directory or a missing file; not followed")
    return None


def split_unrendered(files: list[str]) -> tuple[list[str], list[Skip]]:
    """Helm chart templates (``<chart>/templates/`` beside a ``Chart.yaml``) are Go templates, not YAML:
    they are listed as not checked (the secret scan still reads them), never parsed."""
    present = set(files)
    kept: list[str] = []
    skips: list[Skip] = []
    for name in files:
        head, marker, _ = name.rpartition("templates/")
        chart = head if marker and (not head or head.endswith("/")) else None
        if chart is not None and chart + "Chart.yaml" in present:
            skips.append(
                Skip(
                    name, "Helm chart template: checked only once rendered (helm template); not checked", scannable=True
                )
            )
        else:
            kept.append(name)
    return kept, skips
