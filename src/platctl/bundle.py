"""Where shipped data lives: ``platctl/golden_paths`` and ``platctl/docs`` in the wheel, at the root of the source tree.

A module of its own, without dataclasses or parsing, so that doctor can find the
bundle without paying for the scaffolding code.
"""

from __future__ import annotations

from pathlib import Path


def bundled_root() -> Path:
    """The directory holding the bundled golden paths (in the wheel, or the source tree)."""
    return shipped("golden_paths")


def shipped(name: str) -> Path:
    """A directory platctl ships: ``platctl/<name>`` inside the wheel, ``<name>`` at the source tree's root."""
    packaged = Path(__file__).resolve().parent / name
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / name
