"""Layered golden paths: shared pieces written once and used by several golden paths.

A manifest may say ``extends: [../_shared/service-base]``. Each layer is a
directory laid out like a template (a ``{{cookiecutter.…}}`` folder and,
optionally, a ``templates/`` folder of Jinja partials), with no
``cookiecutter.json`` of its own. Rendering composes the layers in order and
the golden path's own files over them into a temporary directory, so a fix
to a shared Terraform module, alert rule or Kubernetes manifest lands once for
every golden path that extends it. A layer must live beside the golden path
(inside the same collection) and may not extend another layer.

The composed tree is self-contained (its manifest drops ``extends``), which is
what a release archives: an old version keeps rendering the shared pieces as
they were when it was released.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from contextlib import contextmanager
from dataclasses import replace
from pathlib import Path
from typing import Iterator

from platctl.scaffold.catalog import MANIFEST_NAME, GoldenPath

NOT_COMPOSED = shutil.ignore_patterns("releases", "__pycache__", "*.pyc")


@contextmanager
def composed(golden_path: GoldenPath) -> Iterator[GoldenPath]:
    """The golden path with its layers composed in; itself when it has none."""
    if not golden_path.extends:
        yield golden_path
        return
    with tempfile.TemporaryDirectory(prefix="platctl-layers-") as tmp:
        root = Path(tmp) / golden_path.template_dir.name
        compose_into(golden_path, root)
        # Layers carry no cookiecutter.json nor manifest: the golden path's own describe the whole.
        yield replace(golden_path, template_dir=root, extends=())


def compose_into(golden_path: GoldenPath, root: Path) -> None:
    """Copy each layer, then the golden path's own files, into ``root``; drop ``extends``."""
    own = golden_path.template_dir.resolve()
    for layer in golden_path.layer_dirs():
        shutil.copytree(layer, root, dirs_exist_ok=True, symlinks=True, ignore=NOT_COMPOSED, copy_function=_link)
    shutil.copytree(own, root, dirs_exist_ok=True, symlinks=True, ignore=NOT_COMPOSED, copy_function=_link)
    _drop_extends(root / MANIFEST_NAME)


def _link(source: str, target: str) -> None:
    """A hard link where the file system allows one (composing is read-only work), else a copy.

    A later layer's file of the same name replaces the earlier one's link, never writes through it.
    """
    if os.path.lexists(target):
        os.unlink(target)
    try:
        os.link(source, target)
    except OSError:
        shutil.copy2(source, target)


def _drop_extends(manifest: Path) -> None:
    """Remove the ``extends:`` entry, keeping the rest of the file (and its comments) as written."""
    lines = manifest.read_text(encoding="utf-8").splitlines(keepends=True)
    kept, skipping = [], False
    for line in lines:
        if line.startswith("extends:"):
            skipping = True
            continue
        if skipping and (line.startswith((" ", "\t", "-")) or not line.strip()):
            continue
        skipping = False
        kept.append(line)
    manifest.unlink()  # it may be a hard link to the golden path's own manifest: never write through it
    manifest.write_text("".join(kept), encoding="utf-8")
