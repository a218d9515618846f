"""`platctl golden-paths lint`: a golden path that fails its own rules cannot ship."""

from __future__ import annotations

import pytest

from support import GOLDEN_PATHS, REPO_ROOT
from test_upgrade import run

BUNDLED = sorted(p.name for p in GOLDEN_PATHS.iterdir() if (p / "cookiecutter.json").is_file())


@pytest.mark.parametrize("name", BUNDLED)
def test_bundled_golden_paths_pass_their_own_rules(name: str, tmp_path) -> None:
    result = run("golden-paths", "lint", name, cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "FAILED" not in result.stdout and " renders pass" in result.stdout


def test_a_broken_golden_path_fails_with_every_choice_rendered(tmp_path) -> None:
    broken = REPO_ROOT / "tests/fixtures/templates/unpinned-ci"
    result = run("golden-paths", "lint", str(broken), cwd=tmp_path)
    assert result.returncode == 1, result
    assert "FAILED unpinned-ci 0.0.0 with runner=ubuntu-latest" in result.stdout
    assert "FAILED unpinned-ci 0.0.0 with runner=ubuntu-24.04" in result.stdout
    assert ".github/workflows/ci.yml:7 CI002" in result.stdout
    assert "0 of 2 renders pass" in result.stdout
