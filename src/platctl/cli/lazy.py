"""Build only the command being run.

typer turns every command's signature into click parameters before it parses
a single argument; for all of platctl's commands that costs about as much as
``platctl doctor``'s own work on a fresh service. The root group here holds a
mapping that knows every command's name up front (for ``--help``, completion
and "did you mean") and builds a command, with its module's imports, the first
time it is looked up.
"""

from __future__ import annotations

import importlib
from typing import Callable, Dict, Iterator, MutableMapping

import typer
from typer._click import Command
from typer.core import TyperGroup


def typer_app(**settings: object) -> typer.Typer:
    """A typer application with platctl's settings: plain help, no typer completion flags or pretty tracebacks."""
    return typer.Typer(
        add_completion=False, rich_markup_mode=None, pretty_exceptions_enable=False, **settings  # type: ignore[arg-type]
    )


class LazyCommands(MutableMapping[str, Command]):
    """Command name → click command, built on first lookup from the module that registers it."""

    def __init__(self, sources: Dict[str, str], build: Callable[[str], Dict[str, Command]]) -> None:
        self._sources = dict(sources)
        self._build = build
        self._built: Dict[str, Command] = {}

    def __getitem__(self, name: str) -> Command:
        if name not in self._built:
            if name not in self._sources:
                raise KeyError(name)
            self._built.update(self._build(self._sources[name]))
        return self._built[name]

    def __setitem__(self, name: str, command: Command) -> None:
        self._sources.setdefault(name, "")
        self._built[name] = command

    def __delitem__(self, name: str) -> None:
        del self._sources[name]
        self._built.pop(name, None)

    def __iter__(self) -> Iterator[str]:
        return iter(self._sources)

    def __len__(self) -> int:
        return len(self._sources)

    def __contains__(self, name: object) -> bool:
        return name in self._sources


def build_module_commands(module: str) -> Dict[str, Command]:
    """The click commands that ``platctl.cli.<module>.register`` adds to an application."""
    holder = typer_app()
    holder.callback()(_no_options)  # a group even when the module registers one command
    importlib.import_module(f"platctl.cli.{module}").register(holder)
    group = typer.main.get_command(holder)
    assert isinstance(group, TyperGroup)
    return dict(group.commands)


def _no_options() -> None:
    """The holder group's callback; never invoked, only its commands are used."""


def lazy_group(sources: Dict[str, str]) -> type[TyperGroup]:
    """A root group class whose commands (name → module under ``platctl.cli``) are built when looked up."""

    class LazyGroup(TyperGroup):
        def __init__(self, **attrs: object) -> None:
            attrs["commands"] = LazyCommands(sources, build_module_commands)
            super().__init__(**attrs)  # type: ignore[arg-type]

        def list_commands(self, ctx: object) -> list[str]:
            return list(self.commands)  # the names, without building every command

    return LazyGroup
