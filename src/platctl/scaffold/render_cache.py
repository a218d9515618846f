"""A cache of renders, so ``diff``, ``upgrade`` and ``doctor --fix`` need not render twice.

A render is a pure function of the template's content, the answers and the
place it is rendered for (``_output_dir``); the key hashes all three (the
template's content by its git commit, or by every file's name and bytes) and
platctl's version. An entry is written whole into a temporary directory and
renamed into place, and is only ever read afterwards. Templates that run code
(hooks, extensions) are never cached: their output need not be a function of
their input. The cache lives in ``$XDG_CACHE_HOME/platctl/renders`` and keeps
the newest ``MAX_ENTRIES`` entries.

The cache is untrusted: another user or process may have written it. It is
used only when ``platctl`` and ``renders`` are real directories of this user
that nobody else can write, and each entry carries ``manifest.json``, the
sha256 of every file written at store; a hit whose files differ from it is a
miss, and the entry is removed.
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
MANIFEST = "manifest.json"


def cache_root() -> Path:
    from platctl.cachedir import user_cache_dir

    return user_cache_dir("renders")


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


def _private_root() -> Path | None:
    """The cache folder, made if missing, when it and its parent are this user's alone; else None."""
    from platctl.cachedir import make_private_dir

    root = cache_root()
    return None if make_private_dir(root) else root


def cached(key: str) -> Path | None:
    """The stored render for ``key`` if it is intact; a tampered entry is removed and is a miss."""
    from platctl.cachedir import private_dir_problem

    root = _private_root()
    if root is None or not os.path.lexists(root / key):
        return None
    entry = root / key
    if private_dir_problem(entry) is None and _intact(entry):
        return entry / "service"
    shutil.rmtree(entry, ignore_errors=True)
    return None


def _manifest(service: Path) -> dict[str, str]:
    """``rel -> sha256`` of every file under ``service`` (``link:TARGET`` for a symlink), never following links."""
    files: dict[str, str] = {}
    for dirpath, dirnames, filenames in os.walk(service):
        for name in dirnames + filenames:
            path = Path(dirpath) / name
            rel = path.relative_to(service).as_posix()
            if path.is_symlink():
                files[rel] = "link:" + os.readlink(path)
            elif path.is_file():
                files[rel] = hashlib.sha256(path.read_bytes()).hexdigest()
    return files


def _intact(entry: Path) -> bool:
    manifest = entry / MANIFEST
    try:
        if manifest.is_symlink() or not (entry / "service").is_dir() or (entry / "service").is_symlink():
            return False
        return bool(json.loads(manifest.read_text()) == _manifest(entry / "service"))
    except (OSError, ValueError):
        return False


def store(key: str, render: Callable[[Path], Path]) -> Path | None:
    """Render into a fresh entry and publish it; None when the cache cannot be written."""
    root = _private_root()
    if root is None:
        return None
    try:
        tmp = Path(tempfile.mkdtemp(prefix=".entry-", dir=root))
    except OSError:
        return None
    try:
        project = render(tmp)
        os.rename(project, tmp / "service")
        (tmp / MANIFEST).write_text(json.dumps(_manifest(tmp / "service")))
        for child in tmp.iterdir():
            if child.name not in ("service", MANIFEST):
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
