"""Templates from outside the bundle run no code and write nothing outside the target."""

from __future__ import annotations

from pathlib import Path

import pytest

from cli_runner import run_cli
from support import make_template

template = make_template

@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))

    def run(*args: str):
        return run_cli(capsys, monkeypatch, *args)

    return run


HOOK = "from pathlib import Path\nPath({marker!r}).write_text('hook ran')\n"


def test_hooks_run_only_with_trust(cli, tmp_path: Path) -> None:
    marker = tmp_path / "hook-ran"
    tmpl = template(
        tmp_path / "t",
        {"{{cookiecutter.service_name}}/a.txt": "a\n", "hooks/post_gen_project.py": HOOK.format(marker=str(marker))},
    )
    refused = cli("new", "service", "svc", "-g", str(tmpl), "-o", str(tmp_path / "out"))
    assert refused.code == 2, refused
    assert "has cookiecutter hooks" in refused.err and "--trust" in refused.err
    assert not marker.exists() and not (tmp_path / "out").exists()
    trusted = cli("new", "service", "svc", "-g", str(tmpl), "--trust", "--no-git", "-o", str(tmp_path / "out"))
    assert trusted.code == 0, trusted
    assert marker.read_text() == "hook ran"


def test_allow_list_in_user_config_trusts_a_source(cli, tmp_path: Path) -> None:
    marker = tmp_path / "hook-ran"
    tmpl = template(
        tmp_path / "t",
        {"{{cookiecutter.service_name}}/a.txt": "a\n", "hooks/pre_gen_project.py": HOOK.format(marker=str(marker))},
    )
    config = tmp_path / "config/platctl/config.yaml"
    config.parent.mkdir(parents=True)
    config.write_text(f"trusted_sources:\n  - {tmp_path}/*\n")
    assert cli("new", "service", "svc", "-g", str(tmpl), "--no-git", "-o", str(tmp_path / "out")).code == 0
    assert marker.exists()


def test_jinja_extensions_are_not_loaded(cli, tmp_path: Path) -> None:
    marker = tmp_path / "extension-ran"
    tmpl = template(
        tmp_path / "t",
        {"{{cookiecutter.service_name}}/a.txt": "a\n", "evil_ext.py": HOOK.format(marker=str(marker))},
        {"service_name": "svc", "_extensions": ["evil_ext.Nope"]},
    )
    result = cli("new", "service", "svc", "-g", str(tmpl), "-o", str(tmp_path / "out"))
    assert result.code == 2 and "_extensions" in result.err, result
    assert not marker.exists() and not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    "name",
    [
        "{{cookiecutter.service_name}}/{{ '../' * 5 }}escape",
        "{{cookiecutter.service_name}}/{{ '..' }}/{{ '..' }}/escape",
        "{{cookiecutter.service_name}}/{{ '/tmp/abs' }}x",
    ],
)
def test_file_names_that_escape_are_refused(cli, tmp_path: Path, name: str) -> None:
    tmpl = template(tmp_path / "t", {"{{cookiecutter.service_name}}/ok.txt": "ok\n", name: "escaped\n"})
    out = tmp_path / "a" / "b" / "c" / "out"
    result = cli("new", "service", "svc", "-g", str(tmpl), "--trust", "-o", str(out))
    assert result.code == 2, result
    # a name that fails to render (a '/' inside an expression splits it into folders) is refused too
    assert "outside the service" in result.err or "failed to render the name" in result.err
    escaped = [p for p in tmp_path.rglob("escape") if p.relative_to(tmp_path).parts[0] != "t"]
    assert not escaped and not Path("/tmp/absx").exists()
    assert not (tmp_path / "a").exists()


def test_symlink_out_of_the_template_is_refused(cli, tmp_path: Path) -> None:
    tmpl = template(tmp_path / "t", {"{{cookiecutter.service_name}}/ok.txt": "ok\n"})
    (tmpl / "{{cookiecutter.service_name}}/etc").symlink_to("/etc")
    (tmpl / "{{cookiecutter.service_name}}/passwd").symlink_to("/etc/passwd")
    result = cli("new", "service", "svc", "-g", str(tmpl), "-o", str(tmp_path / "out"))
    assert result.code == 2 and "links out of the template" in result.err, result
    assert not (tmp_path / "out").exists()


def test_a_broken_user_config_is_one_line_with_file_and_line(cli, tmp_path: Path) -> None:
    config = tmp_path / "config/platctl/config.yaml"
    config.parent.mkdir(parents=True)
    config.write_text("trusted_sources: [a\n  b: :\n")
    tmpl = template(tmp_path / "t", {"{{cookiecutter.service_name}}/a.txt": "a\n"})
    result = cli("new", "service", "svc", "-g", str(tmpl), "-o", str(tmp_path / "out"))
    assert result.code == 2, result
    assert result.err == f"platctl: error: {config}:2: not valid YAML; fix the syntax of your platctl config\n"
    assert not (tmp_path / "out").exists()
