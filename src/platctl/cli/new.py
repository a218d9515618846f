"""``platctl new service NAME``: scaffold a service from a golden path."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, List, Optional

import typer

from platctl.cli.completion import complete_golden_paths, complete_set

if TYPE_CHECKING:
    from platctl.scaffold.api import ScaffoldResult
    from platctl.scaffold.collect import Given

new_app = typer.Typer(help="Create something new from a golden path.", no_args_is_help=True, rich_markup_mode=None)


def register(app: typer.Typer) -> None:
    app.add_typer(new_app, name="new")


NAME_HELP = "Service name: a DNS-1123 label such as payments-api (asked for on a terminal when missing)."
GOLDEN_PATH_HELP = ("Bundled golden path name, a template directory or a git repository "
                    "(asked on a terminal; default: the bundle's default).")
DIRECTORY_HELP = "Subdirectory of the source holding the template."


@new_app.command("service")
def new_service_command(
    ctx: typer.Context,
    name: Optional[str] = typer.Argument(None, help=NAME_HELP, show_default=False),
    golden_path: str = typer.Option(
        "", "--golden-path", "-g", show_default=False, autocompletion=complete_golden_paths, help=GOLDEN_PATH_HELP
    ),
    set_values: List[str] = typer.Option(
        [], "--set", "-s", autocompletion=complete_set, help="Answer a variable: KEY=VALUE (repeatable)."
    ),
    answers_file: Optional[Path] = typer.Option(None, "--answers", help="YAML file of answers."),
    output_dir: Path = typer.Option(Path("."), "--output-dir", "-o", help="Directory to create the service in."),
    no_input: bool = typer.Option(False, "--no-input", help="Never prompt; defaults fill what is not given."),
    yes: bool = typer.Option(False, "--yes", "-y", help="Do not ask to confirm the summary before writing."),
    no_git: bool = typer.Option(False, "--no-git", help="Do not start a git repository."),
    dry_run: bool = typer.Option(False, "--dry-run", help="Show the files that would be made; write nothing."),
    ref: Optional[str] = typer.Option(None, "--ref", help="Version, tag, branch or commit of the golden path."),
    directory: Optional[str] = typer.Option(None, "--directory", help=DIRECTORY_HELP),
    offline: bool = typer.Option(False, "--offline", help="Use only the cached clone of a git golden path."),
    trust: bool = typer.Option(False, "--trust", help="Allow a golden path from outside the bundle to run its hooks."),
) -> int:
    """Scaffold a production-ready service from a golden path."""
    from platctl.cli import questionnaire
    from platctl.scaffold.api import NewServiceRequest, new_service

    interactive = not no_input and sys.stdin.isatty()
    name, golden_path = _name_and_golden_path(ctx, name, golden_path, interactive)
    request = NewServiceRequest(
        name, golden_path, {}, output_dir, git=not no_git, dry_run=dry_run, ref=ref, directory=directory,
        offline=offline, trust=trust, given=_sources(set_values, answers_file),
        ask=questionnaire.asker() if interactive else None,
        confirm=questionnaire.confirmer(name) if interactive and not yes else None,
    )
    _show(new_service(request))
    return 0


def _sources(set_values: List[str], answers_file: Optional[Path]) -> tuple[Given, ...]:
    """Where answers come from, highest first: --set, --answers, then the organisation's defaults."""
    from platctl.cli.options import parse_set_options
    from platctl.scaffold.answers import load_answers_file
    from platctl.scaffold.collect import Given, organisation_source

    sources = [Given("--set", parse_set_options(set_values), must_apply=True)]
    if answers_file:
        sources.append(Given(f"answers file {answers_file}", load_answers_file(answers_file)))
    sources.append(organisation_source())
    return tuple(sources)


def _name_and_golden_path(
    ctx: typer.Context, name: Optional[str], golden_path: str, interactive: bool
) -> tuple[str, str]:
    """NAME, asked for on a terminal (else a usage error as before), and the golden path, offered on a terminal."""
    from platctl.cli.questionnaire import ask_service_name

    if name is None and not interactive:
        ctx.fail("Missing argument 'name'.")
    name = name if name is not None else ask_service_name()
    return name, golden_path or (_choose_golden_path() if interactive else "")


def _choose_golden_path() -> str:
    """Offer the bundled golden paths when there is more than one; '' keeps the bundle's default."""
    from platctl.cli.questionnaire import choose_golden_path
    from platctl.scaffold.catalog import default_golden_path, list_golden_paths

    paths = list_golden_paths()
    return choose_golden_path(paths, default_golden_path()) if len(paths) > 1 else ""


def _show(result: ScaffoldResult) -> None:
    out = _console()
    if result.dry_run:
        out.print(_file_tree(f"{result.golden_path.name} {result.golden_path.version}: {result.path}", result.files))
        out.print(f"{len(result.files)} files would be made; nothing was written (--dry-run).")
        return
    commit = f", committed as {result.commit[:12]}" if result.commit else ""
    out.print(
        f"[green]Created[/green] {result.path} from golden path "
        f"[bold]{result.golden_path.name}[/bold] {result.golden_path.version}: {len(result.files)} files{commit}."
    )
    out.print("Next steps:")
    out.print(f"  cd {result.path}", markup=False)
    out.print("  platctl doctor            # check it against its golden path", markup=False)
    out.print("  git remote add origin …   # then push; CI runs on the first pull request", markup=False)


def _file_tree(label: str, files: tuple[str, ...]) -> Any:
    """The files as a tree, folders first, as ``tree`` would show them."""
    from rich.markup import escape
    from rich.tree import Tree

    root = Tree(escape(label))
    nodes: dict[str, Any] = {"": root}
    for path in sorted(files, key=lambda p: (p.count("/") == 0, p)):
        parent = ""
        for part in path.split("/")[:-1]:
            key = f"{parent}{part}/"
            if key not in nodes:
                nodes[key] = nodes[parent].add(escape(part + "/"))
            parent = key
        nodes[parent].add(escape(path.rsplit("/", 1)[-1]))
    return root


def _console() -> Any:
    from platctl.cli.output import console

    return console()
