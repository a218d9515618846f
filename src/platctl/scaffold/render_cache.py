"""A cache of renders, so ``diff``, ``upgrade`` and ``doctor --fix`` need not render twice.

A render is a pure function of the template's content, the answers and the
place it is rendered for (``_output_dir``); the key hashes all three (the
template's content by its git commit, or by every file's name and bytes) and
platctl's version. An entry is written whole into a temporary directory and
renamed into place, and is only ever read afterwards. Templates that run code
(hooks, extensions) are never cached: their output need not be a function of
their input. The cache lives in ``$XDG_CACHE_HOME/platctl/renders`` and keeps
the newest ``MAX_ENTRIES`` entries.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any, Callable, Mapping

from platctl import __version__
from platctl.scaffold.catalog import GoldenPath

MAX_ENTRIES = 64


def cache_root() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "platctl" / "renders"


def render_key(golden_path: GoldenPath, answers: Mapping[str, Any], output_dir: Path) -> str | None:
    """The cache key of a render, or None when it must not be cached."""
    if golden_path.runs_code:
        return None
    content, uses_output_dir = _content(golden_path)
    place = str(output_dir) if uses_output_dir else ""
    identity = json.dumps(
        [__version__, golden_path.source, golden_path.version, content, dict(answers), place],
        sort_keys=True, default=str,
    )
    return hashlib.sha256(identity.encode()).hexdigest()[:32]


def _content(golden_path: GoldenPath) -> tuple[str, bool]:
    """The template's identity (its commit, or a hash of every file), and whether it uses ``_output_dir``.

    Only a template that mentions ``_output_dir`` renders differently in another
    place, so only its renders are keyed by the place.
    """
    digest = hashlib.sha256()
    uses_output_dir = False
    root = golden_path.template_dir
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames.sort()
        for name in sorted(filenames):
            path = Path(dirpath) / name
            data = os.readlink(path).encode() if path.is_symlink() else path.read_bytes()
            uses_output_dir = uses_output_dir or b"_output_dir" in data
            digest.update(path.relative_to(root).as_posix().encode() + b"\0" + data + b"\0")
    return (f"git {golden_path.commit}" if golden_path.commit else digest.hexdigest()), uses_output_dir


def cached(key: str) -> Path | None:
    entry = cache_root() / key
    return entry / "service" if (entry / "service").is_dir() else None


def store(key: str, render: Callable[[Path], Path]) -> Path | None:
    """Render into a fresh entry and publish it; None when the cache cannot be written."""
    root = cache_root()
    try:
        root.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".entry-", dir=root))
    except OSError:
        return None
    try:
        project = render(tmp)
        os.rename(project, tmp / "service")
        for child in tmp.iterdir():
            if child.name != "service":
                shutil.rmtree(child, ignore_errors=True)
        os.rename(tmp, root / key)
    except OSError:
        shutil.rmtree(tmp, ignore_errors=True)
        return cached(key)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    _prune(root)
    return root / key / "service"


def _prune(root: Path) -> None:
    entries = sorted((p for p in root.iterdir() if not p.name.startswith(".")), key=lambda p: p.stat().st_mtime)
    for old in entries[:-MAX_ENTRIES]:
        shutil.rmtree(old, ignore_errors=True)
