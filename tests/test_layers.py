"""Layered golden paths: shared files and partials written once, composed at render time."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from platctl.errors import TemplateError
from platctl.scaffold.api import NewServiceRequest, new_service

SVC = "{{cookiecutter.service_name}}"


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)


@pytest.fixture
def collection(tmp_path: Path) -> Path:
    root = tmp_path / "golden_paths"
    write(root / "_shared/base" / SVC / "shared.txt", "shared by {{ cookiecutter.service_name }}\n")
    write(root / "_shared/base" / SVC / "override.txt", "from the layer\n")
    write(root / "_shared/base/templates/alerts.j2", "alert for {{ cookiecutter.service_name }}\n")
    write(root / "app/cookiecutter.json", json.dumps({"service_name": "svc"}))
    write(root / "app/golden-path.yaml", "# the app golden path\nname: app\nextends:\n  - ../_shared/base\nversion: "
                                         "1.2.0\n")
    write(root / "app" / SVC / "override.txt", "from the golden path\n")
    write(root / "app" / SVC / "rules.yaml", "{% include 'alerts.j2' %}")
    return root


def test_layers_compose_under_the_golden_paths_own_files(collection: Path, tmp_path: Path) -> None:
    made = new_service(NewServiceRequest("svc", str(collection / "app"), {}, tmp_path / "out", git=False))
    assert (made.path / "shared.txt").read_text() == "shared by svc\n"
    assert (made.path / "override.txt").read_text() == "from the golden path\n"
    assert (made.path / "rules.yaml").read_text() == "alert for svc\n"
    assert made.golden_path.version == "1.2.0"


def test_the_release_archive_is_self_contained(collection: Path, tmp_path: Path) -> None:
    import io
    import tarfile

    from platctl.scaffold.releases import current_archive_bytes

    data = current_archive_bytes(collection / "app")
    with tarfile.open(fileobj=io.BytesIO(data)) as tar:
        names = tar.getnames()
        manifest = tar.extractfile("golden-path.yaml").read().decode()  # type: ignore[union-attr]
    assert f"{SVC}/shared.txt" in names and "templates/alerts.j2" in names
    assert "extends" not in manifest and "version: 1.2.0" in manifest and "# the app golden path" in manifest


@pytest.mark.parametrize(
    ("layer", "message"),
    [
        ("../../outside", "must be a directory beside the golden path"),
        ("../missing", "does not exist"),
        ("../app", "must be a directory beside"),
    ],
)
def test_bad_layers_are_refused(collection: Path, tmp_path: Path, layer: str, message: str) -> None:
    write(collection / "app/golden-path.yaml", f"name: app\nextends: [{layer}]\n")
    (tmp_path / "outside").mkdir()
    with pytest.raises(TemplateError, match=message):
        new_service(NewServiceRequest("svc", str(collection / "app"), {}, tmp_path / "out", git=False))
    assert not (tmp_path / "out").exists()
