"""A service made from python-service 1.0.0 renders byte for byte the same from 1.1.0.

1.1.0 moved the shared pieces into ``golden_paths/_shared/service-base`` and added the GitLab
and Jenkins CI providers. Neither may change a single byte for answers 1.0.0 accepted
(``ci_provider: github``), or every existing service would see a spurious upgrade diff.
Both are archived releases now (2.0.0 changed the files on purpose), so both sides render
their archives.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from support import GOLDEN_PATHS

OLD_VERSION = "1.0.0"
ANSWERS_1_0_0 = [
    {"lifecycle": "production"},
    {"lifecycle": "experimental", "port": "9090", "slo_availability": "99.5", "owner": "group:payments"},
]


NEW_VERSION = "1.1.0"


def _archived_digest(tmp: Path, answers: dict[str, str], version: str = OLD_VERSION) -> str:
    """Render a release archive itself, whatever version the directory holds now."""
    from platctl.scaffold.answers import resolve_answers
    from platctl.scaffold.api import render_golden_path
    from platctl.scaffold.catalog import BUNDLED_PREFIX, load_template_dir
    from platctl.scaffold.releases import extract_archive, tree_digest

    extract_archive(GOLDEN_PATHS / "python-service" / "releases" / f"{version}.tar.gz", tmp)
    golden_path = load_template_dir(tmp, BUNDLED_PREFIX + "python-service")
    given = {"service_name": "payments-api", "owner": "team-payments", **answers}
    with render_golden_path(golden_path, resolve_answers(golden_path, given), tmp / "out") as project:
        return tree_digest(project)


@pytest.mark.parametrize("answers", ANSWERS_1_0_0, ids=["defaults", "changed"])
def test_github_answers_render_as_they_did_in_1_0_0(tmp_path: Path, answers: dict[str, str]) -> None:
    old = _archived_digest(tmp_path / "old", answers)
    new = _archived_digest(tmp_path / "new", answers, NEW_VERSION)
    changed = sorted(set(old.splitlines()) ^ set(new.splitlines()))
    assert old == new, "changed since 1.0.0:\n" + "\n".join(changed)
