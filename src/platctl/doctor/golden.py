"""What the bundled golden paths say, read without rendering anything.

The bundled directory is ``platctl/golden_paths`` inside the installed package,
else ``<source root>/golden_paths``. Only the manifest (``golden-path.yaml``)
and the template's file names are read: doctor never runs template code.
"""

from __future__ import annotations

import fnmatch
import functools
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from platctl.bundle import bundled_root

MANIFEST_NAME = "golden-path.yaml"


@dataclass(frozen=True)
class GoldenPathInfo:
    name: str
    version: str
    managed: tuple[str, ...]
    seeded: tuple[str, ...]
    template_files: tuple[str, ...]

    def provides(self, path: str) -> bool:
        """Whether a fresh render of this golden path contains ``path``."""
        return path in self.template_files or any(fnmatch.fnmatchcase(path, p) for p in self.template_files if "*" in p)


@functools.lru_cache(maxsize=None)
def golden_path_info(name: str) -> GoldenPathInfo | None:
    """The bundled golden path called ``name`` (``bundled:`` prefix allowed), or None."""
    name = name.removeprefix("bundled:")
    if not name or "/" in name or name.startswith("."):
        return None
    directory = bundled_root() / name
    manifest = _read_manifest(directory / MANIFEST_NAME)
    if manifest is None:
        return None
    return GoldenPathInfo(
        name=str(manifest.get("name", name)),
        version=str(manifest.get("version", "")),
        managed=tuple(str(p) for p in manifest.get("managed") or ()),
        seeded=tuple(str(p) for p in manifest.get("seeded") or ()),
        template_files=tuple(_composed_files(directory, manifest.get("extends") or ())),
    )


def golden_path_manifest_version(directory: Path) -> str:
    """The ``version:`` a template directory's manifest declares, or ''."""
    manifest = _read_manifest(directory / MANIFEST_NAME)
    return str(manifest.get("version", "")) if manifest else ""


def _read_manifest(path: Path) -> dict[str, Any] | None:
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return None
    return data if isinstance(data, dict) else None


_JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}")


def _composed_files(directory: Path, layers: Any) -> list[str]:
    """The golden path's own template files plus those of the layers it ``extends``."""
    files = set(_template_files(directory))
    for layer in layers if isinstance(layers, list) else ():
        layer_dir = (directory / str(layer)).resolve()
        if directory.parent.resolve() in layer_dir.parents and layer_dir.is_dir():
            files.update(_template_files(layer_dir))
    return sorted(files)


def _template_files(directory: Path) -> list[str]:
    folders = [p for p in directory.iterdir() if p.is_dir() and "cookiecutter" in p.name] if directory.is_dir() else []
    if len(folders) != 1:
        return []
    files = []
    for current, _, names in os.walk(folders[0]):
        rel = os.path.relpath(current, folders[0]).replace(os.sep, "/")
        for file_name in names:
            path = file_name if rel == "." else f"{rel}/{file_name}"
            files.append(_JINJA.sub("*", path))
    return files
