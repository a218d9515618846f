"""doctor on what platctl generates: a fresh service is clean, and each way of breaking it is caught by its own rule."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Callable

import pytest
from doctor_support import check, cli  # noqa: F401 - cli is a fixture


def test_fresh_service_has_no_findings(python_service: Path) -> None:
    report = check(python_service)
    assert [(f.rule, f.path, f.line, f.message) for f in report.findings] == []
    assert report.services[0].level == "gold"


def test_fresh_service_exits_zero(cli, default_python_service: Path) -> None:  # type: ignore[no-untyped-def]
    result = cli("doctor", str(default_python_service))
    assert result.code == 0, result
    assert "0 errors, 0 warnings, 0 info" in result.out


def _edit(path: str, pattern: str, replacement: str) -> Callable[[Path], None]:
    def apply(root: Path) -> None:
        target = root / path
        text, count = re.subn(pattern, replacement, target.read_text(), count=1, flags=re.MULTILINE)
        assert count == 1, f"{pattern!r} not found in {path}"
        target.write_text(text)

    return apply


def _delete(path: str) -> Callable[[Path], None]:
    return lambda root: (root / path).unlink()


BREAKAGES = {
    "delete CODEOWNERS": (_delete("CODEOWNERS"), "OWN001", "CODEOWNERS"),
    "unpin an action": (_edit(".github/workflows/ci.yml", r"actions/checkout@[0-9a-f]{40}", "actions/checkout@v4"),
                        "CI002", ".github/workflows/ci.yml"),
    "drop permissions": (_edit(".github/workflows/ci.yml", r"^permissions:\n(  .*\n)+", ""),
                         "CI003", ".github/workflows/ci.yml"),
    "run as root": (_edit("Dockerfile", r"^USER .*$", "USER root"), "DOCKER001", "Dockerfile"),
    "drop runbook_url": (_edit("observability/slo-rules.yaml", r"^ *runbook_url: .*\n", ""),
                         "OBS004", "observability/slo-rules.yaml"),
    "drop resources": (_edit("deploy/base/deployment.yaml", r"^( *)resources:\n(\1  .*\n)+", ""),
                       "K8S001", "deploy/base/deployment.yaml"),
    "drop the catalog owner": (_edit("catalog-info.yaml", r"^ *owner: .*\n", ""), "OWN005", "catalog-info.yaml"),
    "unpin a provider": (_edit("terraform/versions.tf", r'^ *version *= *"~>[^"]*"\n', ""),
                         "TF002", "terraform/versions.tf"),
}


@pytest.mark.parametrize("breakage", list(BREAKAGES))
def test_each_breakage_is_caught_by_its_own_rule(breakage: str, default_python_service: Path, tmp_path: Path) -> None:
    root = tmp_path / "service"
    shutil.copytree(default_python_service, root, symlinks=True)
    apply, rule, path = BREAKAGES[breakage]
    apply(root)
    report = check(root)
    assert rule in {f.rule for f in report.findings}, report.findings
    assert {f.path for f in report.findings if f.rule == rule} == {path}


def test_fix_restores_a_deleted_platform_file_byte_for_byte(default_python_service: Path, tmp_path: Path) -> None:
    root = tmp_path / "service"
    shutil.copytree(default_python_service, root, symlinks=True)
    original = (root / "CODEOWNERS").read_bytes()
    (root / "CODEOWNERS").unlink()
    report = check(root, fix=True)
    assert [(c.path, c.rule) for c in report.fixes] == [("CODEOWNERS", "OWN001")]
    assert (root / "CODEOWNERS").read_bytes() == original
    assert "OWN001" not in {f.rule for f in report.findings}


def test_drift_rule_is_off_by_default_and_silent_on_a_fresh_service(default_python_service: Path) -> None:
    assert "GP005" not in {f.rule for f in check(default_python_service).findings}
    assert check(default_python_service, "GP005").findings == ()


def test_drift_rule_points_at_the_edited_platform_file(default_python_service: Path, tmp_path: Path) -> None:
    root = tmp_path / "service"
    shutil.copytree(default_python_service, root, symlinks=True)
    dockerfile = root / "Dockerfile"
    lines = dockerfile.read_text().splitlines(keepends=True)
    lines.insert(3, "# edited by hand\n")
    dockerfile.write_text("".join(lines))
    (root / "README.md").write_text("# the team's own README\n")  # seeded: not drift
    findings = [f for f in check(root, "GP005").findings if f.rule == "GP005"]
    assert [(f.path, f.line) for f in findings] == [("Dockerfile", 4)], findings
    assert "differs from python-service" in findings[0].message and "(+1 -0)" in findings[0].message


def test_a_service_behind_its_bundled_golden_path_hears_the_changelog_headline(tmp_path: Path) -> None:
    from platctl.scaffold.api import NewServiceRequest, new_service

    made = new_service(NewServiceRequest("legacy", "python-service", {}, tmp_path, ref="1.0.0"))
    (finding,) = [f for f in check(made.path).findings if f.rule == "GP003"]
    assert finding.path == ".platctl.yaml"
    from platctl.bundle import bundled_root
    from platctl.doctor.versions import headline
    from platctl.scaffold.catalog import load_template_dir

    root = bundled_root() / "python-service"
    newest = load_template_dir(root, "python-service").version
    news = headline((root / "CHANGELOG.md").read_text(), newest)
    assert news and "\n" not in news
    assert finding.message == f"golden path python-service is at 1.0.0; {newest} is available: {news} (platctl upgrade)"


@pytest.mark.parametrize(
    ("provider", "pipeline"),
    [("github", ".github/workflows/ci.yml"), ("gitlab", ".gitlab-ci.yml"), ("jenkins", "Jenkinsfile")],
)
def test_a_deleted_pipeline_is_reported_and_restored(
    render_service,
    tmp_path: Path,  # type: ignore[no-untyped-def]
    provider: str,
    pipeline: str,
) -> None:
    rendered = render_service("python-service", {"ci_provider": provider, "lifecycle": "production"})
    root = tmp_path / "service"
    shutil.copytree(rendered, root, symlinks=True)
    original = (root / pipeline).read_bytes()
    for ci in (".github", ".gitlab-ci.yml", "Jenkinsfile"):
        target = root / ci
        if target.is_dir():
            shutil.rmtree(target)
        elif target.exists():
            target.unlink()
    assert [(f.rule, f.path) for f in check(root).findings if f.rule == "CI015"] == [("CI015", pipeline)]
    report = check(root, fix=True)
    assert ("CI015", pipeline) in [(c.rule, c.path) for c in report.fixes]
    assert (root / pipeline).read_bytes() == original
