"""`platctl new service`: the user's story, from good input to every kind of bad input."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml

from cli_runner import CliResult, run_cli
from support import REPO_ROOT

MINIMAL = str(REPO_ROOT / "tests/fixtures/templates/minimal")
BROKEN = str(REPO_ROOT / "tests/fixtures/templates/broken")


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr("sys.stdin.isatty", lambda: False, raising=False)

    def run(*args: str) -> CliResult:
        return run_cli(capsys, monkeypatch, *args)

    return run


def tree(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if ".git/" not in p.as_posix() + "/")


def test_new_service_renders_records_and_commits(cli, tmp_path: Path) -> None:
    result = cli("new", "service", "payments-api", "-g", MINIMAL, "--set", "owner=team-pay", "-o", str(tmp_path))
    assert result.code == 0, result
    service = tmp_path / "payments-api"
    assert (service / "README.md").read_text() == "# payments-api\n\nOwned by team-pay, plain, port 8080.\n"
    record = yaml.safe_load((service / ".platctl.yaml").read_text())
    assert record["golden_path"] == {"name": "minimal", "source": str(Path(MINIMAL).resolve()), "version": "2.1.0"}
    assert record["answers"] == {
        "service_name": "payments-api",
        "owner": "team-pay",
        "flavour": "plain",
        "port": "8080",
    }
    import git

    repo = git.Repo(service)
    assert repo.active_branch.name == "main"
    assert not repo.is_dirty(untracked_files=True)
    assert "Create payments-api from golden path minimal 2.1.0" in repo.head.commit.message
    assert sorted(repo.git.ls_files().splitlines()) == [".platctl.yaml", "README.md", "ci.yml", "src/app.py"]
    assert "Created" in result.out and "platctl doctor" in result.out
    assert os.listdir(tmp_path) == ["payments-api"]


def test_answers_file_and_set_precedence(cli, tmp_path: Path) -> None:
    answers = tmp_path / "answers.yaml"
    answers.write_text("owner: team-file\nflavour: fancy\nport: 9000\n")
    out = tmp_path / "out"
    result = cli("new", "service", "svc", "-g", MINIMAL, "--answers", str(answers), "-s", "port=9100", "-o", str(out))
    assert result.code == 0, result
    assert (out / "svc/README.md").read_text() == "# svc\n\nOwned by team-file, fancy, port 9100.\n"


def test_no_git_and_dry_run(cli, tmp_path: Path) -> None:
    assert cli("new", "service", "a", "-g", MINIMAL, "--no-git", "-o", str(tmp_path)).code == 0
    assert not (tmp_path / "a/.git").exists()
    target = tmp_path / "dry"
    result = cli("new", "service", "b", "-g", MINIMAL, "--dry-run", "-o", str(target))
    assert result.code == 0, result
    lines = result.out.splitlines()
    assert lines[0].startswith("minimal 2.1.0: ")
    assert any(line.endswith("src/") for line in lines) and any(line.endswith("app.py") for line in lines)
    assert any(line.endswith("README.md") for line in lines)
    assert "4 files would be made; nothing was written" in result.out
    assert not target.exists()


def test_an_existing_empty_directory_is_used(cli, tmp_path: Path) -> None:
    (tmp_path / "svc").mkdir()
    assert cli("new", "service", "svc", "-g", MINIMAL, "-o", str(tmp_path)).code == 0
    assert (tmp_path / "svc/README.md").is_file()


@pytest.mark.parametrize(
    ("name", "suggestion"),
    [
        ("Payments_API", "payments-api"),
        ("9lives", "lives"),
        ("-lead", "lead"),
        ("trail-", "trail"),
        ("a" * 64, "a" * 63),
        ("dots.are.bad", "dots-are-bad"),
        ("", None),
    ],
)
def test_bad_names_exit_2_and_write_nothing(cli, tmp_path: Path, name: str, suggestion: str | None) -> None:
    result = cli("new", "service", "-g", MINIMAL, "-o", str(tmp_path / "out"), "--", name)
    assert result.code == 2, result
    assert result.err.startswith("platctl: error: invalid service name")
    assert result.err.count("\n") == 1 and "Traceback" not in result.err
    if suggestion:
        assert f"try {suggestion!r}" in result.err
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["-s", "nope=1"], "unknown variable 'nope' in --set; minimal knows: service_name, owner, flavour, port"),
        (["-s", "owner"], "--set 'owner' is not KEY=VALUE"),
        (["-s", "owner=Team A"], "invalid value 'Team A' for owner: it must match ^team-[a-z]+$"),
        (["-s", "flavour=spicy"], "invalid value 'spicy' for flavour: choose one of plain, fancy"),
        (["-s", "port=80"], "invalid value '80' for port: it must be between 1024 and 65535"),
        (["-s", "port=http"], "invalid value 'http' for port: it must be a whole number"),
        (["-s", "service_name=other"], "service_name 'other' from --set contradicts the service name 'svc'"),
        (["-g", "no-such-path"], "golden path 'no-such-path' not found"),
        (["--answers", "missing.yaml"], "answers file missing.yaml does not exist"),
    ],
)
def test_bad_input_exit_2_one_line_nothing_written(cli, tmp_path: Path, args: list[str], message: str) -> None:
    base = ["new", "service", "svc", "-g", MINIMAL, "-o", str(tmp_path / "out")]
    result = cli(*base, *args)
    assert result.code == 2, result
    assert message in result.err
    assert result.err.count("\n") == 1 and "Traceback" not in result.err
    assert not (tmp_path / "out").exists()


def test_malformed_answers_file_names_file_and_line(cli, tmp_path: Path) -> None:
    answers = tmp_path / "answers.yaml"
    answers.write_text("owner: team-a\nport: [unclosed\n")
    result = cli("new", "service", "svc", "-g", MINIMAL, "--answers", str(answers), "-o", str(tmp_path / "out"))
    assert result.code == 2, result
    assert f"{answers}:3: not valid YAML" in result.err
    assert not (tmp_path / "out").exists()


def test_existing_directory_is_refused_and_untouched(cli, tmp_path: Path) -> None:
    mine = tmp_path / "svc" / "README.md"
    mine.parent.mkdir()
    mine.write_text("my own work\n")
    result = cli("new", "service", "svc", "-g", MINIMAL, "-o", str(tmp_path))
    assert result.code == 2, result
    assert "already exists and is not empty" in result.err
    assert mine.read_text() == "my own work\n"
    assert tree(tmp_path) == ["svc", "svc/README.md"]


@pytest.mark.parametrize("output_dir", ["/proc/platctl-cannot-write-here", "{file}/sub"])
def test_unwritable_output_dir_exits_2(cli, tmp_path: Path, output_dir: str) -> None:
    a_file = tmp_path / "file"
    a_file.write_text("")
    result = cli("new", "service", "svc", "-g", MINIMAL, "-o", output_dir.format(file=a_file))
    assert result.code == 2, result
    assert "Traceback" not in result.err and result.err.count("\n") == 1
    assert tree(tmp_path) == ["file"]


def test_failure_mid_render_leaves_nothing(cli, tmp_path: Path) -> None:
    out = tmp_path / "deep" / "out"
    result = cli("new", "service", "svc", "-g", BROKEN, "-o", str(out))
    assert result.code == 2, result
    assert "failed to render" in result.err and "no_such_variable" in result.err
    assert list(tmp_path.iterdir()) == []


def test_interrupt_mid_render_leaves_nothing(cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import platctl.scaffold.api as api

    real_write_record = api.write_record

    def write_then_interrupt(*args, **kwargs):
        real_write_record(*args, **kwargs)
        raise KeyboardInterrupt

    monkeypatch.setattr(api, "write_record", write_then_interrupt)
    result = cli("new", "service", "svc", "-g", MINIMAL, "-o", str(tmp_path))
    assert result.code == 130, result
    assert list(tmp_path.iterdir()) == []


def test_stale_staging_of_a_killed_run_is_removed(cli, tmp_path: Path) -> None:
    import subprocess

    dead = subprocess.Popen(["true"])
    dead.wait()
    stale = tmp_path / f".platctl-staging-{dead.pid}-abc"
    (stale / "half").mkdir(parents=True)
    from platctl.safewrite import write_stamp

    write_stamp(stale)  # staging this user made on this machine: the only kind recovered
    assert cli("new", "service", "svc", "-g", MINIMAL, "-o", str(tmp_path)).code == 0
    assert sorted(os.listdir(tmp_path)) == ["svc"]


def test_golden_paths_list_and_show(cli) -> None:
    import json

    listed = cli("golden-paths", "list", "--format", "json")
    assert listed.code == 0, listed
    names = [p["name"] for p in json.loads(listed.out)]
    assert "python-service" in names
    shown = cli("golden-paths", "show", "python-service", "--format", "json")
    assert shown.code == 0, shown
    data = json.loads(shown.out)
    variables = {v["name"]: v for v in data["variables"]}
    assert {"service_name", "owner", "lifecycle", "port", "slo_availability", "ci_provider"} <= set(variables)
    assert variables["lifecycle"]["choices"] == ["production", "experimental"]
    assert variables["owner"]["help"]
    text = cli("golden-paths", "show", "python-service")
    assert text.code == 0 and "slo_availability" in text.out
    assert cli("golden-paths", "show", "python-service", "--format", "xml").code == 2


def test_version_and_help(cli) -> None:
    from platctl import __version__

    assert cli("--version").out == f"platctl {__version__}\n"
    helped = cli("new", "service", "--help")
    assert helped.code == 0 and "--golden-path" in helped.out and "--dry-run" in helped.out


def test_prompts_for_missing_answers_on_a_terminal(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import io

    # owner: a bad answer is refused and asked again; flavour: a choice; port: Enter keeps the default.
    typed = io.StringIO("Team Nope\nteam-typed\nfancy\n\n")  # the summary is confirmed with --yes
    typed.isatty = lambda: True  # type: ignore[method-assign]
    monkeypatch.setattr("sys.stdin", typed)
    result = run_cli(capsys, monkeypatch, "new", "service", "svc", "-g", MINIMAL, "-o", str(tmp_path), "--yes")
    assert result.code == 0, result
    assert "invalid value 'Team Nope' for owner" in result.out
    assert "[plain/fancy]" in result.out and "(8080)" in result.out
    assert (tmp_path / "svc/README.md").read_text() == "# svc\n\nOwned by team-typed, fancy, port 8080.\n"


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """platctl's wheel, built once for the tests that look inside it."""
    import subprocess
    import sys

    out = tmp_path_factory.mktemp("wheel")
    command = [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q", "-w", str(out),
               str(REPO_ROOT)]
    built = subprocess.run(command, capture_output=True, text=True)
    assert built.returncode == 0, built.stderr
    (found,) = out.glob("platctl-*.whl")
    return found


def test_the_wheel_ships_the_golden_paths(wheel: Path) -> None:
    import zipfile

    names = zipfile.ZipFile(wheel).namelist()
    assert "platctl/golden_paths/python-service/cookiecutter.json" in names
    assert "platctl/golden_paths/python-service/golden-path.yaml" in names
    assert any(n.startswith("platctl/golden_paths/python-service/{{cookiecutter.service_name}}/") for n in names)
    assert "platctl/docs/rules/index.md" in names


def test_the_installed_wheel_finds_its_docs_and_golden_paths(wheel: Path, tmp_path: Path) -> None:
    """From the wheel (not the checkout), the rule docs and the bundle are found inside the package."""
    import subprocess
    import sys
    import zipfile

    site = tmp_path / "site"
    zipfile.ZipFile(wheel).extractall(site)
    probe = (
        "from platctl.doctor import docs; from platctl.bundle import bundled_root; import platctl; "
        f"assert platctl.__file__.startswith({str(site)!r}), platctl.__file__; "
        f"assert str(docs.DEFAULT_DIR).startswith({str(site)!r}) and docs.drifted(docs.DEFAULT_DIR) == [], "
        "docs.DEFAULT_DIR; "
        f"assert str(bundled_root()).startswith({str(site)!r})"
    )
    checked = subprocess.run(
        [sys.executable, "-c", probe],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env={**os.environ, "PYTHONPATH": str(site)},
    )
    assert checked.returncode == 0, checked.stderr
