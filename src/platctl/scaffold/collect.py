"""One answer pipeline: where values come from, which wins, what is asked, and what is valid.

Every command that needs answers (``new``, ``upgrade``, ``adopt``, ``golden-paths
lint``) hands this module its sources in precedence order, highest first, each
with the words that name it in an error (``--set``, ``answers file a.yaml``,
``the record``); the CLI also hands a function that asks a person. The core
merges, asks for what is missing, validates each value once and renders the
defaults; it never knows about flags or terminals.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Sequence

from platctl.errors import UserError
from platctl.scaffold.answers import check_known_keys, check_value, render_context, resolve_answers, secret_values
from platctl.scaffold.catalog import GoldenPath, Variable

MAX_ATTEMPTS = 5  # a prompter that keeps giving bad answers is an error, not a loop


@dataclass(frozen=True)
class Given:
    """Values from one place, and how an error names that place."""

    origin: str
    values: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Question:
    """What the prompter shows: the variable, its rendered default, and why the last answer was refused."""

    variable: Variable
    default: str
    problem: str | None = None


Ask = Callable[[Question], str]


def collect_answers(
    golden_path: GoldenPath, sources: Sequence[Given], ask: Ask | None = None, fixed: Given | None = None
) -> dict[str, Any]:
    """Every public variable's value from ``sources`` (first wins), the prompter, then the defaults.

    ``fixed`` holds values no source may contradict (the service name given as NAME).
    """
    for source in sources:
        check_known_keys(golden_path, source.values, source.origin)
    merged = merge(sources)
    _check_winners(golden_path, merged, sources)
    if fixed is not None:
        merged = _with_fixed(golden_path, merged, sources, fixed)
    if ask is not None:
        merged = _ask_missing(golden_path, merged, ask)
    return resolve_answers(golden_path, merged)


def merge(sources: Sequence[Given]) -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for source in reversed(sources):
        merged.update(source.values)
    return merged


def _check_winners(golden_path: GoldenPath, merged: Mapping[str, Any], sources: Sequence[Given]) -> None:
    """Each value that wins is checked once, and a bad one is blamed on the place it came from."""
    secrets = secret_values(golden_path, merged)
    for name, value in merged.items():
        variable = golden_path.variable(name)
        origin = next(s.origin for s in sources if name in s.values)
        if variable is not None:
            _blame(origin, variable, "" if value is None else value, secrets)


def _blame(origin: str, variable: Variable, value: Any, secrets: tuple[str, ...]) -> None:
    try:
        check_value(variable, value, secrets)
    except UserError as error:
        raise UserError(f"{error} (from {origin})") from None


def _with_fixed(golden_path: GoldenPath, merged: dict[str, Any], sources: Sequence[Given], fixed: Given) -> dict[str, Any]:
    for name, value in fixed.values.items():
        if golden_path.variable(name) is None:
            continue
        for source in sources:
            if name in source.values and source.values[name] != value:
                raise UserError(
                    f"{name} {source.values[name]!r} from {source.origin} contradicts {fixed.origin} {value!r}; "
                    f"drop it from {source.origin}"
                )
        merged[name] = value
    return merged


def _ask_missing(golden_path: GoldenPath, merged: dict[str, Any], ask: Ask) -> dict[str, Any]:
    """Ask for each variable no source answered, in the template's order, with its default rendered so far."""
    answers = dict(merged)
    for variable in golden_path.variables:
        if variable.name in answers:
            continue
        default = render_context(golden_path, answers)[variable.name]
        answers[variable.name] = _ask_until_valid(golden_path, variable, "" if default is None else str(default), ask)
    return answers


def _ask_until_valid(golden_path: GoldenPath, variable: Variable, default: str, ask: Ask) -> str:
    problem: str | None = None
    for _ in range(MAX_ATTEMPTS):
        value = ask(Question(variable, default, problem))
        try:
            check_value(variable, value)
        except UserError as error:
            problem = str(error)
            continue
        return value
    raise UserError(f"no valid answer for {variable.name} after {MAX_ATTEMPTS} tries: {problem}")
