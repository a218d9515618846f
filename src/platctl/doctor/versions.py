"""The newest version of a recorded golden path, and its changelog headline, found offline.

Bundled golden paths: the manifest beside the template and ``CHANGELOG.md``.
Git sources: the semver tags of a local repository, or of the cached mirror
of a remote one (``platctl new`` and ``platctl upgrade`` keep it), read from
the ref files without importing git;
the headline comes from ``CHANGELOG.md`` at the newest tag. A local template
directory: its manifest. doctor never fetches: an uncached source has no answer.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Mapping

from platctl.gitcmd import git_command
from platctl.semver import is_version, normalise_version, version_key



@dataclass(frozen=True)
class Newest:
    version: str
    headline: str = ""


def newest_version(section: Mapping[str, Any]) -> Newest | None:
    source = str(section.get("source") or "")
    if not source:
        return None
    if source.startswith("bundled:"):
        return _bundled(source.removeprefix("bundled:"))
    location, _, subdir = source.partition("#")
    path = Path(location)
    if path.is_absolute() and (path / subdir / "cookiecutter.json").is_file() and not (path / ".git").exists():
        return _directory(path / subdir)
    return _git(location, subdir)


def _bundled(name: str) -> Newest | None:
    from platctl.bundle import bundled_root

    directory = bundled_root() / name
    return _directory(directory) if (directory / "cookiecutter.json").is_file() else None


def _directory(directory: Path) -> Newest | None:
    from platctl.errors import PlatctlError
    from platctl.scaffold.catalog import load_template_dir

    try:
        version = load_template_dir(directory, str(directory)).version
    except PlatctlError:
        return None
    if not version:
        return None
    changelog = directory / "CHANGELOG.md"
    text = changelog.read_text(encoding="utf-8", errors="replace") if changelog.is_file() else ""
    return Newest(version, headline(text, version))


def _git(location: str, subdir: str) -> Newest | None:
    """A local repository is read as it is now; a remote one from the cached mirror."""
    from platctl.scaffold.source import cache_path

    local = Path(location) / ".git"
    mirror = local if local.is_dir() else cache_path(location)
    tags = _tags(mirror)
    if not tags:
        return None
    tag = max(tags, key=version_key)
    changelog = f"{subdir}/CHANGELOG.md" if subdir else "CHANGELOG.md"
    shown = subprocess.run(
        git_command("--git-dir", str(mirror), "show", f"{tag}:{changelog}"), capture_output=True, text=True, check=False
    )
    version = normalise_version(tag)
    return Newest(version, headline(shown.stdout, version) if shown.returncode == 0 else "")


def _tags(mirror: Path) -> list[str]:
    tags: set[str] = set()
    refs = mirror / "refs" / "tags"
    if refs.is_dir():
        tags.update(p.name for p in refs.iterdir())
    packed = mirror / "packed-refs"
    if packed.is_file():
        for line in packed.read_text(errors="replace").splitlines():
            ref = line.split(" ", 1)[-1]
            if ref.startswith("refs/tags/"):
                tags.add(ref[len("refs/tags/") :])
    return [t for t in tags if is_version(t)]


def headline(changelog: str, version: str) -> str:
    """The first sentence under ``## <version>`` (``## v1.2.0`` and ``## 1.2.0 - date`` work too)."""
    lines = changelog.splitlines()
    pattern = re.compile(rf"^##\s+v?{re.escape(version.lstrip('v'))}\b")
    start = next((i + 1 for i, line in enumerate(lines) if pattern.match(line)), None)
    if start is None:
        return ""
    paragraph: list[str] = []
    for text in lines[start:]:
        if text.startswith("#") or (not text.strip() and paragraph):
            break
        if text.strip():
            paragraph.append(text.strip())
    return first_sentence(" ".join(paragraph))


def first_sentence(text: str, limit: int = 140) -> str:
    """Up to the first ``. `` or ``: `` outside backticks, at most ``limit`` characters."""
    in_code = False
    for index, char in enumerate(text):
        if char == "`":
            in_code = not in_code
        elif char in ".:" and not in_code and text[index + 1 : index + 2] in (" ", ""):
            text = text[:index]
            break
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
