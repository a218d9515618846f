"""Attacks through a template or an answer: each plants a canary that must stay untouched.

A template from outside the bundle, untrusted (no --trust, not allow-listed),
renders in the sandbox: no code runs, no file is read into the output, nothing
is written outside the new service, nothing into its ``.git``. Answers from
records, catalogs and answer files are data and never rendered.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from cli_runner import run_cli
from support import make_template

# Each payload would create the canary file if Jinja ran it outside a sandbox.
RCE = "{{{{ cycler.__init__.__globals__.os.system('touch {canary}') }}}}"
RCE_ALT = "{{{{ self._TemplateReference__context.cycler.__init__.__globals__.os.popen('touch {canary}').read() }}}}"
READ = "{{{{ lipsum.__globals__['__builtins__']['open']('{secret}').read() }}}}"


@pytest.fixture
def cli(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))

    def run(*args: str):
        return run_cli(capsys, monkeypatch, *args)

    return run


def new(cli, template: Path, out: Path, *extra: str):
    return cli("new", "service", "svc", "-g", str(template), "--no-git", "-o", str(out), *extra)


SSTI_PLACES = {
    "file contents": lambda p: ({"{{cookiecutter.service_name}}/a.txt": p}, None),
    "file name": lambda p: ({"{{cookiecutter.service_name}}/" + p + ".txt": "x\n"}, None),
    "folder name": lambda p: ({"{{cookiecutter.service_name}}/" + p + "/a.txt": "x\n"}, None),
    "default": lambda p: ({"{{cookiecutter.service_name}}/a.txt": "x\n"}, {"service_name": "svc", "x": p}),
    "choice": lambda p: ({"{{cookiecutter.service_name}}/a.txt": "x\n"}, {"service_name": "svc", "x": [p, "b"]}),
    "dict default": lambda p: ({"{{cookiecutter.service_name}}/a.txt": "x\n"}, {"service_name": "svc", "x": {"k": p}}),
    "private __ key": lambda p: ({"{{cookiecutter.service_name}}/a.txt": "x\n"}, {"service_name": "svc", "__x": p}),
}


@pytest.mark.parametrize("dry_run", [False, True], ids=["write", "dry-run"])
@pytest.mark.parametrize("payload", [RCE, RCE_ALT], ids=["cycler", "template-reference"])
@pytest.mark.parametrize("place", sorted(SSTI_PLACES))
def test_template_injection_runs_no_code(
    cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, place: str, payload: str, dry_run: bool
) -> None:
    monkeypatch.chdir(tmp_path)  # the payload names the canary relatively: a file name holds no '/'
    canary = tmp_path / "canary"
    files, context = SSTI_PLACES[place](payload.format(canary="canary"))
    template = make_template(tmp_path / "t", files, context)
    result = new(cli, template, tmp_path / "out", *(["--dry-run"] if dry_run else []))
    assert not canary.exists(), f"template code ran through the {place}"
    assert result.code == 2, result
    assert "sandbox" in result.err and "\n" not in result.err.strip(), result.err
    assert not (tmp_path / "out" / "svc").exists()


def test_template_cannot_read_a_file_into_the_output(cli, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET-CANARY")
    template = make_template(tmp_path / "t", {"{{cookiecutter.service_name}}/a.txt": READ.format(secret=secret)})
    result = new(cli, template, tmp_path / "out")
    assert result.code == 2, result
    leaked = [p for p in (tmp_path / "out").rglob("*") if p.is_file() and "TOP-SECRET" in p.read_text()]
    assert not leaked and "TOP-SECRET" not in result.out + result.err


@pytest.mark.parametrize(
    "name",
    [
        "{{ '.git' }}/hooks/pre-commit",
        "{{ '.GIT' }}/config",
        ".git/config",
        "sub/{{ '.Git.' }}/config",
    ],
)
def test_template_cannot_write_into_git(cli, tmp_path: Path, name: str) -> None:
    """A `.git` folder would give the template git's own hooks and fsmonitor on platctl's commit."""
    canary = tmp_path / "canary"
    hook = f"#!/bin/sh\ntouch {canary}\n"
    template = make_template(
        tmp_path / "t", {"{{cookiecutter.service_name}}/a.txt": "a\n", "{{cookiecutter.service_name}}/" + name: hook}
    )
    result = cli("new", "service", "svc", "-g", str(template), "-o", str(tmp_path / "out"))
    assert result.code == 2, result
    assert ".git" in result.err
    assert not canary.exists() and not (tmp_path / "out" / "svc").exists()


UP = "'..%c..%c..%cescape.txt' | format(47, 47, 47)"  # '../../../escape.txt' without a '/' in the file name


@pytest.mark.parametrize("dry_run", [False, True], ids=["write", "dry-run"])
@pytest.mark.parametrize(
    "name",
    [
        "{{ random_ascii_string(1) and " + UP + " }}",
        "{{ uuid4() and " + UP + " }}",
        "{{ ('x' | jsonify) and " + UP + " }}",
        "{{ ('X Y' | slugify) and " + UP + " }}",
        "{% now 'utc', '' %}{{ " + UP + " }}",
    ],
)
def test_names_using_cookiecutters_extensions_cannot_escape(cli, tmp_path: Path, name: str, dry_run: bool) -> None:
    """Names are checked in the environment that renders them: cookiecutter's extensions included."""
    work = tmp_path / "w"
    template = make_template(
        work / "t", {"{{cookiecutter.service_name}}/a.txt": "a\n", "{{cookiecutter.service_name}}/" + name: "escaped\n"}
    )
    result = new(cli, template, work / "a" / "b" / "out", *(["--dry-run"] if dry_run else []))
    assert result.code == 2, result
    assert "outside the service" in result.err
    assert not list(work.rglob("escape.txt")), "a file was written outside the service"


def test_jinja_options_cannot_load_code(cli, tmp_path: Path) -> None:
    canary = tmp_path / "canary"
    (tmp_path / "evilext.py").write_text(f"import pathlib\npathlib.Path({str(canary)!r}).touch()\n")
    template = make_template(
        tmp_path / "t",
        {"{{cookiecutter.service_name}}/a.txt": "a\n"},
        {"service_name": "svc", "_jinja2_env_vars": {"extensions": ["evilext"]}},
    )
    result = new(cli, template, tmp_path / "out")
    assert result.code == 2 and "_jinja2_env_vars" in result.err, result
    assert not canary.exists()


def test_template_cannot_exhaust_memory(cli, tmp_path: Path) -> None:
    template = make_template(tmp_path / "t", {"{{cookiecutter.service_name}}/a.txt": "{{ 'a' * 10**11 }}{{ 9**9**9 }}"})
    result = new(cli, template, tmp_path / "out")
    assert result.code == 2 and "sandbox" in result.err, result


def test_untrusted_delimiters_do_not_poison_the_bundled_render(cli, tmp_path: Path) -> None:
    """A template with other delimiters and the bundled file names must not change the next bundled render."""
    files = {
        "{{cookiecutter.service_name}}/CODEOWNERS": "<< cookiecutter.service_name >>\n",
        "{{cookiecutter.service_name}}/README.md": "<< cookiecutter.service_name >>\n",
    }
    context = {"service_name": "svc", "_jinja2_env_vars": {"variable_start_string": "<<", "variable_end_string": ">>"}}
    template = make_template(tmp_path / "t", files, context)
    assert new(cli, template, tmp_path / "evil").code == 0
    made = cli(
        "new",
        "service",
        "payments-api",
        "--no-input",
        "--no-git",
        "--set",
        "owner=team-payments",
        "-o",
        str(tmp_path / "good"),
    )
    assert made.code == 0, made
    for path in (tmp_path / "good" / "payments-api").rglob("*"):
        if path.is_file():
            assert "{{" not in path.read_text(errors="replace") or path.suffix in (
                ".json",
                ".tf",
                ".yml",
                ".yaml",
                ".md",
            ), path
    assert "{{" not in (tmp_path / "good" / "payments-api" / "CODEOWNERS").read_text()


def bundled_service(cli, tmp_path: Path) -> Path:
    out = tmp_path / "svc"
    made = cli("new", "service", "payments-api", "--no-input", "--set", "owner=team-payments", "-o", str(out))
    assert made.code == 0, made
    return out / "payments-api"


def commit_all(repo: Path, message: str) -> None:
    subprocess.run(["git", "-C", str(repo), "add", "-A"], check=True)
    subprocess.run(
        ["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", message], check=True
    )


@pytest.mark.parametrize("command", [("diff",), ("upgrade", "--dry-run"), ("doctor", "--select", "GP005")])
def test_recorded_answers_are_data_not_templates(cli, tmp_path: Path, command: tuple[str, ...]) -> None:
    """A pull request edits `.platctl.yaml` to hold a template expression: nothing runs."""
    service = bundled_service(cli, tmp_path)
    canary = tmp_path / "canary"
    record = service / ".platctl.yaml"
    payload = RCE.format(canary=canary)
    record.write_text(record.read_text().replace("description: ", f'description: "{payload}" # ', 1))
    assert payload in record.read_text()
    commit_all(service, "edit the record")
    cli(*command, str(service))
    assert not canary.exists()


def test_adopt_reads_the_catalog_as_data(cli, tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    repo.mkdir()
    canary = tmp_path / "canary"
    (repo / "pyproject.toml").write_text('[project]\nname = "svc"\n')
    (repo / "catalog-info.yaml").write_text(
        "apiVersion: backstage.io/v1alpha1\nkind: Component\nmetadata:\n  name: svc\n"
        f'  description: "{RCE.format(canary=canary)}"\nspec:\n  owner: team-x\n  type: service\n  lifecycle: '
        "production\n"
    )
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    commit_all(repo, "init")
    cli("adopt", str(repo), "--dry-run", "-g", "python-service")
    assert not canary.exists()


def test_a_name_longer_than_the_file_system_allows_is_a_one_line_error(cli, tmp_path: Path) -> None:
    """Found by the fuzz run: a name that renders past 255 bytes crashed with OSError."""
    template = make_template(tmp_path / "t", {"{{cookiecutter.service_name}}/{{ 'n' * 300 }}.txt": "x\n"})
    result = new(cli, template, tmp_path / "out")
    assert result.code == 2 and "longer than 255 bytes" in result.err and "Traceback" not in result.err, result
    assert not (tmp_path / "out" / "svc").exists()
