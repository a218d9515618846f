"""No template file is copied between golden paths: shared pieces live once, in the layer.

python-service and node-service both extend ``golden_paths/_shared/service-base``. These
tests fail when a file's content appears twice: in both golden paths, or in a golden path and
the layer it extends (an override that changes nothing is a copy). ``releases/`` is left out:
archives are the composed template of a past version, duplicated on purpose so old services
re-render byte for byte. No size threshold is needed; not even an empty file is shared.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from pathlib import Path

import yaml

from support import GOLDEN_PATHS

LAYER = GOLDEN_PATHS / "_shared" / "service-base"
LANGUAGE_PATHS = ("python-service", "node-service")


def _contents(root: Path) -> dict[str, list[str]]:
    """sha256 of every template file under root (releases excluded) -> where it lives."""
    found: dict[str, list[str]] = defaultdict(list)
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(GOLDEN_PATHS)
        if path.is_file() and "releases" not in relative.parts and "__pycache__" not in relative.parts:
            found[hashlib.sha256(path.read_bytes()).hexdigest()].append(relative.as_posix())
    return found


def test_both_golden_paths_extend_the_shared_layer() -> None:
    for name in LANGUAGE_PATHS:
        manifest = yaml.safe_load((GOLDEN_PATHS / name / "golden-path.yaml").read_text())
        assert manifest["extends"] == ["../_shared/service-base"], name


def test_no_file_content_is_duplicated_between_the_golden_paths() -> None:
    python, node = (_contents(GOLDEN_PATHS / name) for name in LANGUAGE_PATHS)
    shared = [python[digest] + node[digest] for digest in python.keys() & node.keys()]
    assert not shared, "identical files; move them to _shared/service-base:\n" + "\n".join(map(str, shared))


def test_no_golden_path_copies_a_file_of_its_layer() -> None:
    layer = _contents(LAYER)
    for name in LANGUAGE_PATHS:
        own = _contents(GOLDEN_PATHS / name)
        copies = [own[digest] + layer[digest] for digest in own.keys() & layer.keys()]
        assert not copies, f"{name} repeats layer files:\n" + "\n".join(map(str, copies))


def test_the_layer_holds_the_platform_artifacts() -> None:
    """What both languages need lives in the layer, not in either golden path."""
    template = LAYER / "{{cookiecutter.service_name}}"
    for shared in ("terraform", "deploy/base", "deploy/argocd", "observability", "catalog-info.yaml", "CODEOWNERS"):
        assert (template / shared).exists(), shared
        for name in LANGUAGE_PATHS:
            assert not (GOLDEN_PATHS / name / "{{cookiecutter.service_name}}" / shared).exists(), (name, shared)
