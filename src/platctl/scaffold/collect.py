"""One answer pipeline: where values come from, which wins, what is asked, and what is valid.

Every command that needs answers (``new``, ``upgrade``, ``adopt``, ``golden-paths
lint``) hands this module its sources in precedence order, highest first, each
with the words that name it in an error (``--set``, ``answers file a.yaml``,
``the record``); the CLI also hands a function that asks a person and one that
confirms the summary. The core merges, asks for what is missing, validates each
value once and renders the defaults; it never knows about flags or terminals.

A variable whose ``when`` is false is neither asked, recorded nor validated; a
value for it is dropped, unless its source says it must apply (``--set``), which
is an error. A source that only ``suggests`` (the organisation's defaults) is
shown as the default when asking and answers only what nobody is asked.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Sequence

from platctl.errors import EXIT_INTERRUPTED, PlatctlError, UserError
from platctl.scaffold.answers import check_known_keys, check_value, render_context, resolve_answers, secret_values
from platctl.scaffold.catalog import GoldenPath, Variable
from platctl.scaffold.conditions import applies, asking_order, describe_values, inapplicable

MAX_ATTEMPTS = 5  # a prompter that keeps giving bad answers is an error, not a loop


@dataclass(frozen=True)
class Given:
    """Values from one place, and how an error names that place."""

    origin: str
    values: Mapping[str, Any] = field(default_factory=dict)
    suggests: bool = False  # defaults to offer (the organisation's), not answers; unknown names are ignored
    must_apply: bool = False  # a value for a variable whose ``when`` is false is an error, not dropped


@dataclass(frozen=True)
class Question:
    """What the prompter shows: the variable, its rendered default, and why the last answer was refused."""

    variable: Variable
    default: str
    problem: str | None = None


Ask = Callable[[Question], str]


@dataclass(frozen=True)
class Summary:
    """What will be made, for a person to confirm: each applying variable and its value (secrets as ``***``)."""

    golden_path: GoldenPath
    rows: tuple[tuple[Variable, str], ...]


Confirm = Callable[[Summary], bool]


class NotConfirmed(PlatctlError):
    """The person declined the summary: nothing is written."""

    exit_code = EXIT_INTERRUPTED


def collect_answers(
    golden_path: GoldenPath,
    sources: Sequence[Given],
    ask: Ask | None = None,
    fixed: Given | None = None,
    *,
    confirm: Confirm | None = None,
) -> dict[str, Any]:
    """Every public variable's value from ``sources`` (first wins), the prompter, then the defaults.

    ``fixed`` holds values no source may contradict (the service name given as NAME);
    ``confirm`` sees the summary after the questions and may decline it.
    """
    given = [s for s in sources if not s.suggests]
    for source in given:
        check_known_keys(golden_path, source.values, source.origin)
    suggested = _suggested(golden_path, sources)
    merged = merge(given)
    _check_winners(golden_path, {**suggested, **merged}, sources, conditional=False)
    if fixed is not None:
        merged = _with_fixed(golden_path, merged, given, fixed)
    merged = _ask_missing(golden_path, merged, suggested, ask) if ask is not None else {**suggested, **merged}
    merged = _drop_inapplicable(golden_path, merged, sources)
    _check_winners(golden_path, merged, sources, conditional=True)
    answers = resolve_answers(golden_path, merged)
    if confirm is not None and not confirm(summary(golden_path, answers)):
        raise NotConfirmed("the answers were not confirmed; nothing was written")
    return answers


def summary(golden_path: GoldenPath, answers: Mapping[str, Any]) -> Summary:
    """The answers that apply, in the order they are asked, secrets hidden."""
    skipped = inapplicable(golden_path, render_context(golden_path, answers))
    secrets = secret_values(golden_path, answers)
    rows = []
    for variable in asking_order(golden_path):
        if variable.name not in skipped:
            text = str(answers.get(variable.name, ""))
            hidden = variable.secret or any(s in text for s in secrets)
            rows.append((variable, "***" if hidden and text else text))
    return Summary(golden_path, tuple(rows))


def organisation_source() -> Given:
    """The ``defaults:`` of the user's platctl config: values offered where nothing else answers
    (``new`` asks with them as the default; ``upgrade`` and ``adopt`` use them for what the record
    or the repository does not say)."""
    from platctl.scaffold.userconfig import organisation_defaults, user_config_path

    return Given(f"defaults in {user_config_path()}", organisation_defaults(), suggests=True)


def merge(sources: Sequence[Given]) -> dict[str, Any]:
    merged: dict[str, Any] = {}
    for source in reversed(sources):
        merged.update(source.values)
    return merged


def _suggested(golden_path: GoldenPath, sources: Sequence[Given]) -> dict[str, Any]:
    """The values suggesting sources offer for this golden path's variables (others' names are ignored)."""
    merged = merge([s for s in sources if s.suggests])
    return {k: v for k, v in merged.items() if golden_path.variable(k) is not None}


def _check_winners(
    golden_path: GoldenPath, merged: Mapping[str, Any], sources: Sequence[Given], conditional: bool
) -> None:
    """Each value that wins is checked once, and a bad one is blamed on the place it came from.

    Unconditional variables are checked before the questions; conditional ones (with a ``when``)
    after them, once it is known whether they apply.
    """
    secrets = secret_values(golden_path, merged)
    for name, value in merged.items():
        variable = golden_path.variable(name)
        origin = _origin(name, sources)
        if variable is not None and origin is not None and bool(variable.when) == conditional:
            _blame(origin.origin, variable, "" if value is None else value, secrets)


def _origin(name: str, sources: Sequence[Given]) -> Given | None:
    """The source a winning value came from: the first answering source, else the first suggesting one."""
    return next((s for s in sorted(sources, key=lambda s: s.suggests) if name in s.values), None)


def _drop_inapplicable(golden_path: GoldenPath, merged: dict[str, Any], sources: Sequence[Given]) -> dict[str, Any]:
    """Drop values for variables whose ``when`` is false; one from a source that says it must apply is an error."""
    context = render_context(golden_path, merged)
    for name in sorted(inapplicable(golden_path, context) & set(merged)):
        source = _origin(name, sources)
        variable = golden_path.variable(name)
        if source is not None and source.must_apply and variable is not None:
            raise UserError(
                f"{name} from {source.origin} does not apply: it is used only when {variable.when}"
                f"{describe_values(golden_path, variable, context)}; drop it"
            )
        del merged[name]
    return merged


def _blame(origin: str, variable: Variable, value: Any, secrets: tuple[str, ...]) -> None:
    try:
        check_value(variable, value, secrets)
    except UserError as error:
        raise UserError(f"{error} (from {origin})") from None


def _with_fixed(
    golden_path: GoldenPath, merged: dict[str, Any], sources: Sequence[Given], fixed: Given
) -> dict[str, Any]:
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


def _ask_missing(
    golden_path: GoldenPath, merged: dict[str, Any], suggested: Mapping[str, Any], ask: Ask
) -> dict[str, Any]:
    """Ask for each variable no source answered and that applies, group by group, its default rendered so far."""
    answers = dict(merged)
    for variable in asking_order(golden_path):
        if variable.name in answers:
            continue
        context = render_context(golden_path, answers)
        if not applies(golden_path, variable, context):
            continue
        default = suggested.get(variable.name, context[variable.name])
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
