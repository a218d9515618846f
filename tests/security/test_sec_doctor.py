"""doctor as a lint step on every pull request, forks included: the repository under check is the attacker.

It controls every file, ``.platctl.yaml`` and ``.gitattributes`` included. It must not be
able to make doctor render (run) a template of its choosing, nor to make a committed
key pass under an org policy that locks the secret rules and forbids ignoring them.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Any, Callable

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "doctor"))

from doctor_support import GOOD, cli, mutated, record, write_repo  # noqa: E402,F401

from platctl.scaffold.catalog import bundled_golden_path as golden_path_info  # noqa: E402

KEY = "-----BEGIN RSA " + "PRIVATE KEY-----\nMIIEowIBAAKCAQEAv1Xa\n-----END RSA " + "PRIVATE KEY-----\n"
STRICT_POLICY = "locked: [SEC001, SEC002]\nallow_ignore: false\nallow_waivers: false\n"
CANARY_TEMPLATE = "{{ cycler.__init__.__globals__.os.system('touch %s') }}\n"


# -- 1. the repository cannot make doctor render -------------------------------------------


@pytest.fixture
def renders(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """Every render GP005 asks for, recorded (the seam every drift check goes through)."""
    import platctl.scaffold.drift as drift

    calls: list[Path] = []
    real = drift.compute_drift

    def spy(service_dir: Path, *args: Any, **kwargs: Any) -> Any:
        calls.append(service_dir)
        return real(service_dir, *args, **kwargs)

    monkeypatch.setattr(drift, "compute_drift", spy)
    return calls


def _hostile_template(root: Path, canary: Path) -> None:
    """A template directory inside the repository whose render runs a shell command."""
    template = root / "tmpl"
    (template / "{{cookiecutter.service_name}}").mkdir(parents=True)
    (template / "cookiecutter.json").write_text('{"service_name": "payments-api"}\n')
    (template / "golden-path.yaml").write_text("name: evil\nversion: 1.0.0\nmanaged: ['*']\n")
    (template / "{{cookiecutter.service_name}}" / "Dockerfile").write_text(CANARY_TEMPLATE % canary)


def _record_for(source: str, version: str = "1.0.0", extra: str = "", doctor: str = "") -> str:
    return (f"golden_path:\n  name: evil\n  source: '{source}'\n  version: '{version}'\n{extra}"
            f"answers:\n  service_name: payments-api\n{doctor}")


def test_a_repository_cannot_turn_on_a_rendering_rule(tmp_path: Path, cli: Callable[..., Any],
                                                       renders: list[Path]) -> None:
    for n, doctor in enumerate(("doctor:\n  extend_select: [GP005]\n", "doctor:\n  select: [managed-file-drift]\n")):
        root = write_repo(tmp_path / str(n), mutated({".platctl.yaml": record(doctor=doctor)}))
        result = cli("doctor", str(root))
        assert result.code == 2, result
        assert "GP005" in result.err and "command line or the policy" in result.err, result
        assert len(result.err.strip().splitlines()) == 1, result
    assert renders == []


def test_select_all_in_a_repository_does_not_render(tmp_path: Path, cli: Callable[..., Any],
                                                    renders: list[Path]) -> None:
    root = write_repo(tmp_path, mutated({".platctl.yaml": record(doctor="doctor:\n  select: [ALL]\n")}))
    result = cli("doctor", str(root), "--format", "json")
    assert result.code == 0, result
    assert renders == [] and '"GP005"' not in result.out.split('"rules_run"')[-1].split("]")[0]


@pytest.mark.parametrize("source, version, extra", [
    ("{root}/tmpl", "1.0.0", ""),                                  # a template directory in the repository
    ("{root}#tmpl", "1.0.0", "  commit: HEAD\n"),                  # the repository itself as a git source
    (".#tmpl", "1.0.0", "  commit: HEAD\n"),
    ("bundled:python-service", "../../../../../../{root}/evil", ""),  # a bundled source whose version points out
    ("bundled:python-service", "1.0.0", "  commit: ../../../../../../{root}/evil\n"),
    ("bundled:../../../../../../{root}/tmpl", "1.0.0", ""),
])
def test_a_record_cannot_choose_what_gp005_renders(tmp_path: Path, cli: Callable[..., Any], renders: list[Path],
                                                   monkeypatch: pytest.MonkeyPatch, source: str, version: str,
                                                   extra: str) -> None:
    root = tmp_path / "repo"
    canary = tmp_path / "canary"
    write_repo(root, mutated({".platctl.yaml": None}))
    _hostile_template(root, canary)
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    subprocess.run(["git", "-C", str(root), "add", "-A"], check=True)
    subprocess.run(["git", "-C", str(root), "-c", "user.name=x", "-c", "user.email=x@x", "commit", "-qm", "x"],
                   check=True)
    (root / ".platctl.yaml").write_text(_record_for(source.format(root=root), version.format(root=root),
                                                    extra.format(root=root)))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))  # no trusted sources
    result = cli("doctor", str(root), "--extend-select", "GP005", "--format", "json")
    assert not canary.exists()
    assert renders == [], result
    assert "not rendered" in result.out, result


def test_gp005_still_renders_a_shipped_bundled_release(tmp_path: Path, renders: list[Path]) -> None:
    from doctor_support import check

    info = golden_path_info("python-service")
    assert info is not None
    root = write_repo(tmp_path, mutated({".platctl.yaml": record(info.version)}))
    check(root, "GP005")
    assert renders == [root.resolve()]


def test_gp005_renders_a_source_the_user_trusts(tmp_path: Path, renders: list[Path],
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    from doctor_support import check

    root = tmp_path / "repo"
    write_repo(root, mutated({".platctl.yaml": None}))
    (root / "tmpl").mkdir()
    (root / ".platctl.yaml").write_text(_record_for(f"{tmp_path}/templates/svc"))
    config = tmp_path / "config" / "platctl"
    config.mkdir(parents=True)
    (config / "config.yaml").write_text(f"trusted_sources: ['{tmp_path}/templates/*']\n")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    check(root, "GP005")
    assert renders == [root.resolve()]


# -- 2. a repository that must fail, fails --------------------------------------------------


def _strict(tmp_path: Path, files: dict[str, Any], git: bool = True) -> tuple[Path, Path]:
    root = write_repo(tmp_path / "repo", mutated(files))
    if git:
        subprocess.run(["git", "init", "-q", str(root)], check=True)
        subprocess.run(["git", "-C", str(root), "add", "-A"], check=True)
    policy = tmp_path / "policy.yaml"
    policy.write_text(STRICT_POLICY)
    return root, policy


def _fails_on_the_key(result: Any, path: str = "deploy/key.pem") -> None:
    assert result.code == 1, result
    assert "SEC001" in result.out and path in result.out, result


def test_gitattributes_cannot_hide_a_key_from_the_secret_scan(tmp_path: Path, cli: Callable[..., Any]) -> None:
    for attributes in ("* -diff\n", "* binary\n", "*.pem -text\n"):
        root, policy = _strict(tmp_path / attributes[:3].strip(), {"deploy/key.pem": KEY, ".gitattributes": attributes})
        _fails_on_the_key(cli("doctor", str(root), "--policy", str(policy)))


def test_inline_suppressions_cannot_hide_a_locked_rule(tmp_path: Path, cli: Callable[..., Any]) -> None:
    for n, text in enumerate(("# platctl: ignore-file[SEC001]\n" + KEY,
                              KEY.replace("-----\n", "-----  # platctl: ignore[SEC001]\n", 1),
                              "# platctl: ignore[SEC001]\n" + KEY)):
        root, policy = _strict(tmp_path / str(n), {"deploy/key.pem": text})
        _fails_on_the_key(cli("doctor", str(root), "--policy", str(policy)))


def test_inline_suppressions_do_nothing_when_the_policy_forbids_ignoring(tmp_path: Path,
                                                                         cli: Callable[..., Any]) -> None:
    workflow = GOOD[".github/workflows/ci.yml"].replace("timeout-minutes: 10\n    steps:\n      - uses",
                                                         "steps:\n      - uses", 1)
    root, policy = _strict(tmp_path, {".github/workflows/ci.yml": "# platctl: ignore-file[CI004]\n" + workflow})
    result = cli("doctor", str(root), "--policy", str(policy), "--fail-on", "warning")
    assert result.code == 1 and "CI004" in result.out, result


@pytest.mark.parametrize("git", [True, False], ids=["git", "no-git"])
def test_a_nul_byte_does_not_hide_a_key(tmp_path: Path, cli: Callable[..., Any], git: bool) -> None:
    root, policy = _strict(tmp_path, {}, git)
    (root / "deploy/key.pem").write_bytes(b"\0\x01binary header\n" + KEY.encode())
    if git:
        subprocess.run(["git", "-C", str(root), "add", "-A"], check=True)
    _fails_on_the_key(cli("doctor", str(root), "--policy", str(policy)))


@pytest.mark.parametrize("git", [True, False], ids=["git", "no-git"])
def test_a_huge_file_does_not_hide_a_key(tmp_path: Path, cli: Callable[..., Any], git: bool) -> None:
    root, policy = _strict(tmp_path, {}, git)
    padding = ("x" * 99 + "\n") * (3 * 1024 * 1024 // 100)
    (root / "deploy/key.pem").write_text(padding + KEY + padding)
    if git:
        subprocess.run(["git", "-C", str(root), "add", "-A"], check=True)
    _fails_on_the_key(cli("doctor", str(root), "--policy", str(policy)))


def test_a_key_named_like_an_image_is_still_scanned(tmp_path: Path, cli: Callable[..., Any]) -> None:
    root, policy = _strict(tmp_path, {"deploy/key.png": KEY})
    _fails_on_the_key(cli("doctor", str(root), "--policy", str(policy)), "deploy/key.png")


def test_a_key_in_a_template_looking_path_is_still_scanned(tmp_path: Path, cli: Callable[..., Any]) -> None:
    path = "gp/{{cookiecutter.service_name}}/key.pem"
    root, policy = _strict(tmp_path, {path: KEY})
    _fails_on_the_key(cli("doctor", str(root), "--policy", str(policy)), path)


def test_a_baseline_cannot_hide_a_locked_rule(tmp_path: Path, cli: Callable[..., Any]) -> None:
    root, policy = _strict(tmp_path, {"deploy/key.pem": KEY})
    baseline = root / ".platctl-baseline.json"
    assert cli("doctor", str(root), "--create-baseline", str(baseline)).code == 0
    assert "SEC001" in baseline.read_text()
    assert cli("doctor", str(root), "--baseline", str(baseline)).code == 0  # without the policy: adoption works
    _fails_on_the_key(cli("doctor", str(root), "--policy", str(policy), "--baseline", str(baseline)))


def test_a_baseline_hides_nothing_when_the_policy_forbids_ignoring(tmp_path: Path, cli: Callable[..., Any]) -> None:
    root, policy = _strict(tmp_path, {"SECURITY.md": None})
    baseline = tmp_path / "baseline.json"
    assert cli("doctor", str(root), "--create-baseline", str(baseline)).code == 0
    assert "SEC003" in baseline.read_text()
    result = cli("doctor", str(root), "--policy", str(policy), "--baseline", str(baseline), "--fail-on", "info")
    assert result.code == 1 and "SEC003" in result.out, result


def test_doctor_fix_renders_only_what_doctor_may_render(tmp_path: Path, cli: Callable[..., Any]) -> None:
    """`--fix` restores missing platform files from a render:
    the record cannot point that render at its own template."""
    root = tmp_path / "repo"
    canary = tmp_path / "canary"
    write_repo(root, mutated({".platctl.yaml": None, "CODEOWNERS": None}))
    _hostile_template(root, canary)
    (root / "tmpl" / "{{cookiecutter.service_name}}" / "CODEOWNERS").write_text("* @attacker\n")
    (root / ".platctl.yaml").write_text(_record_for(str(root / "tmpl")))
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    subprocess.run(["git", "-C", str(root), "add", "-A"], check=True)
    subprocess.run(
        ["git", "-C", str(root), "-c", "user.name=x", "-c", "user.email=x@x", "commit", "-qm", "x"], check=True
    )
    cli("doctor", str(root), "--fix")
    assert not canary.exists()
    assert not (root / "CODEOWNERS").exists()
