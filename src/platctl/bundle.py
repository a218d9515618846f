"""Where the bundled golden paths live: ``platctl/golden_paths`` in the wheel, ``golden_paths/`` in the source tree.

A module of its own, without dataclasses or parsing, so that doctor can find the
bundle without paying for the scaffolding code.
"""

from __future__ import annotations

from pathlib import Path


def bundled_root() -> Path:
    """The directory holding the bundled golden paths (in the wheel, or the source tree)."""
    packaged = Path(__file__).resolve().parent / "golden_paths"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "golden_paths"
