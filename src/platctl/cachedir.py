"""The user's cache directory for platctl, and the check that makes a cache safe to trust.

A cache holds what platctl reads back later without checking it again (compiled
templates, renders, git mirrors), so it is trusted only when this user owns it,
nobody else can write to it, and it is not a symbolic link to somewhere else.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path


def user_cache_dir(*parts: str) -> Path:
    """``$XDG_CACHE_HOME/platctl/…`` (``~/.cache`` without the variable)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base, "platctl", *parts)


def private_dir_problem(path: Path) -> str | None:
    """Why ``path`` is not a directory of this user's alone, or None when it is."""
    try:
        info = os.lstat(path)
    except OSError as error:
        return f"cannot be read ({error.strerror})"
    if stat.S_ISLNK(info.st_mode):
        return "is a symlink"
    if not stat.S_ISDIR(info.st_mode):
        return "is not a directory"
    if info.st_uid != os.geteuid():
        return "belongs to another user"
    if info.st_mode & (stat.S_IWGRP | stat.S_IWOTH):
        return "is writable by others"
    return None


def make_private_dir(path: Path) -> str | None:
    """Make ``path`` and its parent (mode 0700) if missing; say which of them is not this user's alone, or None."""
    try:
        path.parent.parent.mkdir(parents=True, exist_ok=True)
        for directory in (path.parent, path):
            directory.mkdir(mode=0o700, exist_ok=True)
    except OSError as error:
        return f"{path} cannot be created ({error.strerror})"
    for directory in (path.parent, path):
        problem = private_dir_problem(directory)
        if problem:
            return f"{directory} {problem}"
    return None


def private_dir(path: Path) -> Path | None:
    """``path`` made if missing (its folders mode 0700), when it is safe to trust; otherwise None."""
    return None if make_private_dir(path) else path
