"""Start-up guards: the commands typed all day load nothing heavy they do not use.

Deterministic (it looks at sys.modules in a fresh interpreter, not at a clock);
the timings themselves live in bench/.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

HEAVY = (
    "cookiecutter",
    "jinja2",
    "git",
    "yaml",
    "ruamel",
    "hcl2",
    "rich",
    "markdown_it",
    "typer.rich_utils",
    "pydantic",
)
PROBE = """
import json, sys
heavy = json.loads(sys.argv[2])
sys.argv = ["platctl", *json.loads(sys.argv[1])]
try:
    from platctl.cli.app import main
    main()
except SystemExit:
    pass
sys.stdout = sys.__stdout__
print("\\n" + json.dumps(sorted(h for h in heavy if h in sys.modules)))
"""


def loaded(args: list[str], cwd: Path) -> set[str]:
    done = subprocess.run(
        [sys.executable, "-c", PROBE, json.dumps(args), json.dumps(HEAVY)],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={"PATH": "/usr/bin:/bin", "NO_COLOR": "1", "HOME": str(cwd)},
    )
    return set(json.loads(done.stdout.strip().splitlines()[-1]))


@pytest.mark.parametrize(
    "args",
    [
        ["--help"],
        ["--version"],
        ["new", "--help"],
        ["new", "service", "--help"],
        ["doctor", "--help"],
        ["upgrade", "--help"],
    ],
)
def test_help_and_version_load_nothing_heavy(args: list[str], tmp_path: Path) -> None:
    assert loaded(args, tmp_path) == set()


def test_doctor_on_a_service_loads_only_what_it_parses_with(default_python_service: Path) -> None:
    modules = loaded(["doctor", str(default_python_service), "--format", "json"], default_python_service.parent)
    assert not modules & {"cookiecutter", "jinja2", "git", "hcl2", "rich", "markdown_it", "ruamel", "pydantic"}, modules


def test_new_loads_neither_gitpython_nor_cookiecutter(tmp_path: Path) -> None:
    """``platctl new`` renders in platctl's own sandbox and commits with git plumbing: the bundled
    golden paths need neither gitpython, cookiecutter, arrow nor python-slugify (bench/ has the seconds)."""
    probe = PROBE.replace("heavy = json.loads(sys.argv[2])", "heavy = json.loads(sys.argv[2]) + ['arrow', 'slugify']")
    done = subprocess.run(
        [
            sys.executable,
            "-c",
            probe,
            json.dumps(["new", "service", "svc", "--no-input", "--set", "owner=team-a", "-o", str(tmp_path / "out")]),
            json.dumps(HEAVY),
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        env={
            "PATH": "/usr/bin:/bin",
            "NO_COLOR": "1",
            "HOME": str(tmp_path),
            "GIT_AUTHOR_NAME": "t",
            "GIT_AUTHOR_EMAIL": "t@e",
            "GIT_COMMITTER_NAME": "t",
            "GIT_COMMITTER_EMAIL": "t@e",
        },
    )
    assert (tmp_path / "out" / "svc" / ".git").is_dir(), done.stderr
    modules = set(json.loads(done.stdout.strip().splitlines()[-1]))
    assert not modules & {"git", "cookiecutter", "arrow", "slugify"}, modules


OTHER_COMMAND_MODULES = ("platctl.cli.new", "platctl.cli.adopt", "platctl.cli.fleet", "platctl.cli.golden_paths",
                         "platctl.cli.upgrade", "platctl.cli.questionnaire")
# What only --fix, --baseline or an unpacked golden path needs (tempfile and json are not listed: on some
# machines a site-packages .pth imports them before platctl starts).
NOT_FOR_A_LINT_RUN = ("platctl.safewrite", "platctl.doctor.baseline", "platctl.scaffold.releases")


def test_doctor_builds_only_its_own_command(default_python_service: Path) -> None:
    """typer builds click parameters for every command it knows; platctl's root group builds the one being run.
    And a plain lint run loads nothing that only a fix, a baseline or an unpacked release uses."""
    probe = PROBE.replace("heavy = json.loads(sys.argv[2])",
                          f"heavy = {list(OTHER_COMMAND_MODULES + NOT_FOR_A_LINT_RUN)!r}")
    done = subprocess.run(
        [sys.executable, "-c", probe, json.dumps(["doctor", str(default_python_service)]), "[]"],
        cwd=default_python_service.parent, capture_output=True, text=True,
        env={"PATH": "/usr/bin:/bin", "NO_COLOR": "1", "HOME": str(default_python_service.parent)},
    )
    assert json.loads(done.stdout.strip().splitlines()[-1]) == [], done.stderr


def test_doctor_compiles_no_glob_into_a_regular_expression(default_python_service: Path) -> None:
    """Path roles and rule file sets match with string operations (platctl.globs), not one regex per glob."""
    probe = PROBE.replace("json.dumps(sorted(h for h in heavy if h in sys.modules))",
                          "json.dumps(__import__('fnmatch')._compile_pattern.cache_info().currsize)")
    assert probe != PROBE
    done = subprocess.run(
        [sys.executable, "-c", probe, json.dumps(["doctor", str(default_python_service)]), "[]"],
        cwd=default_python_service.parent, capture_output=True, text=True,
        env={"PATH": "/usr/bin:/bin", "NO_COLOR": "1", "HOME": str(default_python_service.parent)},
    )
    assert json.loads(done.stdout.strip().splitlines()[-1]) == 0, done.stderr


def test_the_command_table_names_what_each_module_registers() -> None:
    """``COMMANDS`` in platctl.cli.app is the one list of commands: each module registers exactly its names."""
    import importlib

    from platctl.cli.app import COMMANDS
    from platctl.cli.lazy import typer_app

    for module in set(COMMANDS.values()):
        holder = typer_app()
        importlib.import_module(f"platctl.cli.{module}").register(holder)
        registered = {c.name for c in holder.registered_commands} | {g.name for g in holder.registered_groups}
        assert registered == {name for name, owner in COMMANDS.items() if owner == module}, module


def test_the_executable_collects_cycles_less_often(tmp_path: Path) -> None:
    """The console script and ``python -m platctl`` start at platctl.cli.entry, which leaves what the imports
    built out of later collections (the shutdown collection walked it all) and collects less often."""
    import tomllib

    from platctl.cli.entry import YOUNG_COLLECTION_EVERY

    scripts = tomllib.loads((Path(__file__).parents[1] / "pyproject.toml").read_text())["project"]["scripts"]
    assert scripts["platctl"] == "platctl.cli.entry:main"
    probe = ("import atexit, gc, json, runpy, sys\n"
             "atexit.register(lambda: print(json.dumps([gc.get_threshold()[0], gc.get_freeze_count()])))\n"
             "sys.argv = ['platctl', '--version']\n"
             "runpy.run_module('platctl', run_name='__main__')\n")
    done = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True,
                          env={"PATH": "/usr/bin:/bin", "HOME": str(tmp_path)})
    threshold, frozen = json.loads(done.stdout.strip().splitlines()[-1])
    assert threshold == YOUNG_COLLECTION_EVERY and frozen > 10_000, done.stdout
