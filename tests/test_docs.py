"""Every command and option is documented in docs/, and every link in the docs resolves."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from support import REPO_ROOT

DOCS = [REPO_ROOT / "README.md", *sorted((REPO_ROOT / "docs").rglob("*.md")), REPO_ROOT / "bench/README.md"]
COMMAND_DOCS = (REPO_ROOT / "docs/commands.md").read_text() + (REPO_ROOT / "docs/doctor.md").read_text()


def commands() -> list[tuple[str, list[str]]]:
    """(command path, its option names) for every command platctl has."""
    import typer.main

    from platctl.cli.app import app

    found: list[tuple[str, list[str]]] = []

    def walk(command: object, path: str) -> None:
        subcommands = getattr(command, "commands", None)
        if subcommands:
            for name, sub in subcommands.items():
                walk(sub, f"{path} {name}".strip())
            return
        options = [o for p in getattr(command, "params", []) for o in getattr(p, "opts", []) if o.startswith("--")]
        found.append((path, [o for o in options if o not in ("--help",)]))

    walk(typer.main.get_command(app), "")
    return found


COMMANDS = commands()


def test_there_are_commands() -> None:
    assert {"new service", "doctor", "diff", "upgrade", "adopt", "rules", "golden-paths lint"} <= {
        c for c, _ in COMMANDS
    }


@pytest.mark.parametrize(("command", "options"), COMMANDS, ids=[c for c, _ in COMMANDS])
def test_command_and_options_are_documented(command: str, options: list[str]) -> None:
    assert f"platctl {command}" in COMMAND_DOCS, f"`platctl {command}` is not in docs/commands.md or docs/doctor.md"
    missing = [o for o in options if o not in COMMAND_DOCS]
    assert not missing, f"platctl {command}: options {missing} are not documented"


@pytest.mark.parametrize("doc", DOCS, ids=[str(d.relative_to(REPO_ROOT)) for d in DOCS])
def test_relative_links_resolve(doc: Path) -> None:
    links = re.findall(r"\]\(([^)#\s]+)(?:#[^)]*)?\)", doc.read_text())
    broken = [
        link
        for link in links
        if not link.startswith(("http://", "https://", "mailto:")) and not (doc.parent / link).exists()
    ]
    assert not broken, f"{doc.name}: broken links {broken}"
