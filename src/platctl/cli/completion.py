"""``platctl completion bash|zsh|fish`` and the completers options use.

The script calls ``platctl`` back with ``_PLATCTL_COMPLETE`` set; click's shell
completion machinery (the one typer builds on) parses the words typed so far
and asks the option's completer. Each completer imports what it reads
(golden paths, the rule catalogue) inside itself, so a run that is not
completing loads nothing for completion.
"""

from __future__ import annotations

import os
import sys
from typing import Any, List

import typer

SHELLS = ("bash", "zsh", "fish")
COMPLETE_VAR = "_PLATCTL_COMPLETE"


def register(app: typer.Typer) -> None:
    app.command("completion")(completion_command)


def completion_command(
    ctx: typer.Context,
    shell: str = typer.Argument(..., help="bash, zsh or fish.", autocompletion=lambda: list(SHELLS)),
) -> int:
    """Print the shell completion script, e.g. eval "$(platctl completion bash)" in ~/.bashrc."""
    from typer._click.shell_completion import get_completion_class

    from platctl.errors import UserError

    if shell not in SHELLS:
        raise UserError(f"cannot complete for {shell!r}: choose bash, zsh or fish")
    prepare()
    shell_class = get_completion_class(shell)
    assert shell_class is not None  # prepare() registered every shell in SHELLS
    script = shell_class(ctx.find_root().command, {}, "platctl", COMPLETE_VAR).source()
    sys.stdout.write(script.strip() + "\n")
    return 0


def completing() -> bool:
    """Whether this run was started by a completion script."""
    return bool(os.environ.get(COMPLETE_VAR))


def prepare() -> None:
    """Use typer's shell classes (their scripts and instructions), with bash completing ``KEY=`` as one word."""
    from typer._click.shell_completion import add_completion_class
    from typer._completion_classes import completion_init

    from platctl.cli.bash_completion import BashComplete

    completion_init()
    add_completion_class(BashComplete, BashComplete.name)


def complete_golden_paths(incomplete: str) -> List[Any]:
    """Bundled golden-path names, each with its description."""
    from platctl.scaffold.catalog import list_golden_paths

    return [
        (p.name, " ".join(p.description.split())[:70]) for p in list_golden_paths() if p.name.startswith(incomplete)
    ]


def complete_set(ctx: typer.Context, incomplete: str) -> List[Any]:
    """``--set``: variable names as ``name=``, then that variable's choices as ``name=choice``."""
    golden_path = _golden_path_of(ctx)
    if golden_path is None:
        return []
    name, sep, _ = incomplete.partition("=")
    variable = golden_path.variable(name) if sep else None
    if variable is not None:
        return [(f"{name}={choice}", dict(variable.choice_help).get(choice, "")) for choice in variable.choices]
    return [(f"{v.name}=", v.help[:70]) for v in golden_path.variables if v.name.startswith(incomplete)]


def _golden_path_of(ctx: typer.Context) -> Any:
    """The golden path named on the command line so far: bundled or a local directory, never a git fetch."""
    from pathlib import Path

    from platctl.errors import PlatctlError
    from platctl.scaffold.catalog import bundled_golden_path, default_golden_path, load_template_dir

    named = str(ctx.params.get("golden_path") or default_golden_path())
    try:
        found = bundled_golden_path(named)
        if found is None and (Path(named) / "cookiecutter.json").is_file():
            found = load_template_dir(Path(named), str(Path(named).resolve()))
    except PlatctlError:
        return None
    return found


def complete_rules(ctx: typer.Context, incomplete: str) -> List[Any]:
    """Rule codes and slugs (``--select``, ``--ignore``, ``--explain``), each with its title."""
    from platctl.doctor.api import catalogue
    from platctl.errors import PlatctlError

    try:
        rules = catalogue(ctx.params.get("policy"))
    except PlatctlError:
        return []
    wanted = incomplete.lower()
    found = [(r.code, r.meta.title) for r in rules if r.code.lower().startswith(wanted)]
    return found + [(r.meta.slug, r.meta.title) for r in rules if r.meta.slug.startswith(wanted)]
