"""The questions ``platctl new service`` asks a person at a terminal.

The core decides what to ask and whether an answer fits
(``platctl.scaffold.collect``); this module only shows a question and reads the
answer: the service name, the golden path, each variable under its group's
heading (choices by number or name, with their help), and the summary to
confirm. Ctrl-C at any prompt stops before anything is written.
"""

from __future__ import annotations

import functools
from typing import TYPE_CHECKING, Any, Callable, TypeVar

if TYPE_CHECKING:
    from platctl.scaffold.catalog import GoldenPath, Variable
    from platctl.scaffold.collect import Ask, Confirm, Question, Summary

T = TypeVar("T")
MAX_NAME_ATTEMPTS = 5


def _console() -> Any:
    from platctl.cli.output import console

    return console()


def _ask_name(out: Any, default: str) -> str:
    from rich.prompt import Prompt

    if default:
        return str(Prompt.ask("Service name", console=out, default=default))
    return str(Prompt.ask("Service name", console=out))


def _read(prompt: Callable[[], T]) -> T:
    """One prompt; a closed input (Ctrl-D) stops like Ctrl-C."""
    import typer

    try:
        return prompt()
    except EOFError:
        raise typer.Abort() from None


def ask_service_name() -> str:
    """The service name, asked until it is a DNS-1123 label; a refused one offers the nearest valid name."""

    from platctl.errors import UserError
    from platctl.scaffold.answers import check_service_name, suggest_service_name

    out, default = _console(), ""
    out.print("[dim]Service name: lowercase letters, digits and '-', e.g. payments-api.[/dim]")
    for _ in range(MAX_NAME_ATTEMPTS):
        name = _read(functools.partial(_ask_name, out, default))
        try:
            check_service_name(name.strip())
        except UserError as error:
            out.print(str(error), style="red", markup=False)
            default = suggest_service_name(name)
            continue
        return name.strip()
    raise UserError(f"no valid service name after {MAX_NAME_ATTEMPTS} tries")


def choose_golden_path(paths: list[GoldenPath], default: str) -> str:
    """One golden path, by number or name, each shown with its one-line description."""
    from rich.markup import escape
    from rich.prompt import Prompt

    out = _console()
    out.print("[bold]Golden path[/bold]")
    names = [p.name for p in paths]
    width = max(len(n) for n in names)
    for number, path in enumerate(paths, 1):
        line = (f"  {number}. [bold]{escape(path.name.ljust(width))}[/bold]  "
                f"[dim]{escape(_one_line(path.description))}[/dim]")
        out.print(line, no_wrap=True, overflow="ellipsis")
    while True:
        answer = _read(lambda: Prompt.ask("Golden path", console=out, default=default)).strip()
        chosen = by_number_or_name(answer, names)
        if chosen:
            return chosen
        out.print(f"choose a number from 1 to {len(names)} or one of {', '.join(names)}", style="red", markup=False)


def _one_line(text: str) -> str:
    first = " ".join(text.split()).split(". ")[0]
    return first.rstrip(".")


def by_number_or_name(answer: str, choices: list[str]) -> str:
    """``answer`` as one of ``choices``: its number (1-based) or its name; '' when it is neither."""
    if answer in choices:
        return answer
    if answer.isdigit() and 1 <= int(answer) <= len(choices):
        return choices[int(answer) - 1]
    return ""


def asker() -> Ask:
    """Ask each question under its group's heading, showing its help, default and choices."""
    from rich.markup import escape

    out, shown = _console(), {"group": ""}

    def ask(question: Question) -> str:
        variable = question.variable
        if variable.group and variable.group != shown["group"]:
            out.print(f"\n[bold]{escape(variable.group.capitalize())}[/bold]")
            shown["group"] = variable.group
        if question.problem:
            out.print(question.problem, style="red", markup=False)
        elif variable.help or variable.pattern_help:
            valid = f" Format: {variable.pattern_help}." if variable.pattern_help else ""
            out.print(f"[dim]{escape(variable.help)}{escape(valid)}[/dim]")
        if variable.choices:
            return _ask_choice(out, variable, question.default)
        return _ask_text(out, variable, question.default)

    return ask


def _ask_text(out: Any, variable: Variable, default: str) -> str:
    from rich.prompt import Prompt

    return str(_read(lambda: Prompt.ask(variable.name, console=out, default=default, password=variable.secret)))


def _ask_choice(out: Any, variable: Variable, default: str) -> str:
    """A numbered list of the choices with their help; the answer may be the number or the name."""
    from rich.markup import escape
    from rich.prompt import Prompt

    helps = dict(variable.choice_help)
    width = max(len(c) for c in variable.choices)
    for number, choice in enumerate(variable.choices, 1):
        help_text = f"  [dim]{escape(helps[choice])}[/dim]" if helps.get(choice) else ""
        out.print(f"  {number}. {escape(choice.ljust(width))}{help_text}")
    label = f"{variable.name} {escape('[' + '/'.join(variable.choices) + ']')}"
    answer = _read(lambda: Prompt.ask(label, console=out, default=default)).strip()
    return by_number_or_name(answer, list(variable.choices)) or answer


def confirmer(name: str) -> Confirm:
    """Show the summary of what will be made and ask before anything is written."""
    from rich.markup import escape
    from rich.prompt import Confirm as YesNo
    from rich.table import Table

    out = _console()

    def confirm(summary: Summary) -> bool:
        path = summary.golden_path
        table = Table("", "variable", "value", box=None, title_justify="left")
        group = None
        for variable, value in summary.rows:
            heading = escape(variable.group.capitalize()) if variable.group != group else ""
            table.add_row(heading, variable.name, escape(value))
            group = variable.group
        out.print(f"\n[bold]Summary[/bold]: {escape(name)} from {escape(path.name)} {escape(path.version)}")
        out.print(table)
        return bool(_read(lambda: YesNo.ask("Create it?", console=out, default=True)))

    return confirm
