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


def private_dir(path: Path) -> Path | None:
    """``path`` made if missing (mode 0700), when it is safe to trust; otherwise None.

    Safe: a real directory (not a link), owned by this user, writable by no one else.
    """
    try:
        path.mkdir(parents=True, exist_ok=True, mode=0o700)
        info = os.lstat(path)
    except OSError:
        return None
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.geteuid() or info.st_mode & 0o022:
        return None
    return path
