"""Read a rendered tree or a service's files as bytes, keyed by relative POSIX path."""

from __future__ import annotations

import os
from pathlib import Path

from platctl.safewrite import check_no_symlink_components
from platctl.scaffold.record import RECORD_NAME

SKIPPED = {RECORD_NAME}


def read_tree(root: Path) -> dict[str, bytes]:
    """Every regular file under ``root`` except ``.git`` and the record, by relative path."""
    files: dict[str, bytes] = {}
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if d != ".git"]
        base = Path(dirpath).relative_to(root)
        for name in filenames:
            rel = (base / name).as_posix()
            full = Path(dirpath) / name
            if rel not in SKIPPED and full.is_file() and not full.is_symlink():
                files[rel] = full.read_bytes()
    return files


def read_file(root: Path, rel: str) -> bytes | None:
    """A service file's bytes, or None when it is missing (a link counts as missing).

    A symlinked directory on the way is an error: nothing is read (or later written) through it.
    """
    path = root / rel
    if "/" in rel:
        check_no_symlink_components(root, rel.rsplit("/", 1)[0])
    if path.is_symlink() or not path.is_file():
        return None
    return path.read_bytes()


def is_text(data: bytes) -> bool:
    if b"\0" in data[:8192]:
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True
