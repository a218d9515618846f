"""Bundled golden paths keep every released version renderable, byte for byte."""

from __future__ import annotations

from pathlib import Path

import pytest

from support import GOLDEN_PATHS

BUNDLED = sorted(p.name for p in GOLDEN_PATHS.iterdir() if (p / "cookiecutter.json").is_file())
ARCHIVES = sorted(GOLDEN_PATHS.glob("*/releases/*.tar.gz"))


@pytest.mark.parametrize("name", BUNDLED)
def test_the_current_version_is_released_unchanged(name: str) -> None:
    from platctl.scaffold.catalog import load_template_dir
    from platctl.scaffold.releases import current_archive_bytes

    root = GOLDEN_PATHS / name
    version = load_template_dir(root, name).version
    archive = root / "releases" / f"{version}.tar.gz"
    assert archive.is_file(), f"{name} {version} is not released: run python scripts/release_golden_path.py {name}"
    assert current_archive_bytes(root) == archive.read_bytes(), (
        f"{name} changed since {version} was released: bump its version in golden-path.yaml, "
        f"say what changed in CHANGELOG.md, and run python scripts/release_golden_path.py {name}"
    )
    changelog = (root / "CHANGELOG.md").read_text()
    assert f"## {version}" in changelog, f"{name}/CHANGELOG.md has no entry for {version}"


@pytest.mark.parametrize("name", BUNDLED)
def test_the_release_checksums_are_current(name: str) -> None:
    from platctl.scaffold.releases import checksums_text

    releases = GOLDEN_PATHS / name / "releases"
    assert (releases / "SHA256SUMS").read_text() == checksums_text(releases), (
        f"{name}/releases/SHA256SUMS is stale: run python scripts/release_golden_path.py {name}"
    )


@pytest.mark.parametrize("archive", ARCHIVES, ids=[f"{a.parent.parent.name}-{a.name}" for a in ARCHIVES])
def test_every_release_re_renders_byte_identically(archive: Path) -> None:
    from platctl.scaffold.releases import archive_digest

    recorded = archive.with_name(archive.name.replace(".tar.gz", ".sha256")).read_text()
    assert recorded.count("\n") > 3
    assert archive_digest(archive) == recorded


def test_an_old_bundled_version_is_chosen_with_ref(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A fake old release of the minimal fixture, bundled beside the real ones."""
    import shutil

    import yaml

    from platctl.scaffold import catalog
    from platctl.scaffold.api import NewServiceRequest, new_service
    from platctl.scaffold.releases import archive_bytes

    bundle = tmp_path / "bundle"
    shutil.copytree(Path(__file__).parent / "fixtures/templates/minimal", bundle / "minimal")
    old = archive_bytes(bundle / "minimal")
    manifest = bundle / "minimal/golden-path.yaml"
    manifest.write_text(manifest.read_text().replace("version: 2.1.0", "version: 3.0.0"))
    (bundle / "minimal/releases").mkdir()
    (bundle / "minimal/releases/2.1.0.tar.gz").write_bytes(old)
    from platctl.scaffold.releases import checksums_text

    (bundle / "minimal/releases/SHA256SUMS").write_text(checksums_text(bundle / "minimal/releases"))
    monkeypatch.setattr(catalog, "bundled_root", lambda: bundle)
    monkeypatch.setattr("platctl.scaffold.source.bundled_root", lambda: bundle)

    from platctl.scaffold.source import available_versions, parse_source

    assert available_versions(parse_source("minimal")) == ["2.1.0", "3.0.0"]
    made = new_service(NewServiceRequest("svc", "minimal", {"owner": "team-a"}, tmp_path / "out", ref="2.1.0"))
    record = yaml.safe_load((made.path / ".platctl.yaml").read_text())
    assert record["golden_path"] == {"name": "minimal", "source": "bundled:minimal", "version": "2.1.0"}
