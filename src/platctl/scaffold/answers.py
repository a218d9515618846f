"""Answers: where a template's values come from, and whether they are valid.

Precedence, highest first: ``--set KEY=VALUE``, then ``--answers FILE``, then
what the user typed at a prompt, then the template's defaults. Every value is
checked against its variable before anything is written.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Iterable, Mapping

from platctl.errors import ConfigError, UserError, located
from platctl.scaffold.catalog import GoldenPath, Variable

DNS_LABEL = re.compile(r"^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$")


def check_service_name(name: str) -> None:
    """A service name is a DNS-1123 label: it names the Kubernetes objects, image and Terraform."""
    if DNS_LABEL.match(name):
        return
    suggestion = suggest_service_name(name)
    hint = f"; try {suggestion!r}" if suggestion else ""
    raise UserError(
        f"invalid service name {name!r}: use lowercase letters, digits and '-', "
        f"start with a letter, end with a letter or digit, at most 63 characters{hint}"
    )


def suggest_service_name(name: str) -> str:
    """The nearest valid DNS-1123 label to ``name``, or '' when there is none."""
    slug = re.sub(r"[^a-z0-9]+", "-", name.strip().lower())
    slug = re.sub(r"^[^a-z]+", "", slug)[:63].strip("-")
    return slug if DNS_LABEL.match(slug) else ""


def parse_set_options(pairs: Iterable[str]) -> dict[str, str]:
    """Turn repeated ``--set KEY=VALUE`` options into a mapping."""
    values: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise UserError(f"--set {pair!r} is not KEY=VALUE: write it as --set owner=team-payments")
        values[key.strip()] = value
    return values


def load_answers_file(path: Path) -> dict[str, Any]:
    """Read a YAML answers file: a mapping of variable names to values."""
    import yaml

    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UserError(f"answers file {path} does not exist: check the path given to --answers") from None
    except (OSError, UnicodeDecodeError) as error:
        raise UserError(f"answers file {path} cannot be read: {error}") from None
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as error:
        raise ConfigError(f"{located(path, error)}: not valid YAML; fix the syntax of the answers file") from None
    if data is None:
        return {}
    if not isinstance(data, dict) or not all(isinstance(k, str) for k in data):
        raise ConfigError(f"{path}: an answers file must be a mapping of variable names to values")
    return {k: _scalar(path, k, v) for k, v in data.items()}


def _scalar(path: Path, key: str, value: Any) -> Any:
    if isinstance(value, (dict, list)):
        raise ConfigError(f"{path}: answer {key!r} must be a single value, not a {type(value).__name__}")
    return value


def check_known_keys(golden_path: GoldenPath, answers: Mapping[str, Any], origin: str) -> None:
    known = [v.name for v in golden_path.variables]
    unknown = sorted(set(answers) - set(known))
    if unknown:
        raise UserError(
            f"unknown variable {', '.join(map(repr, unknown))} in {origin}; "
            f"{golden_path.name} knows: {', '.join(known)}"
        )


def resolve_answers(golden_path: GoldenPath, given: Mapping[str, Any]) -> dict[str, Any]:
    """Every public variable's value: the given ones, and defaults rendered against them."""
    check_known_keys(golden_path, given, "the answers")
    values = {k: _as_text(v) for k, v in given.items()}
    for name, value in values.items():
        variable = golden_path.variable(name)
        if variable is not None and variable.choices:
            check_value(variable, value)
    if _complete(golden_path, values):
        answers = {v.name: values[v.name] for v in golden_path.variables}
        rendered = None
    else:
        rendered = render_context(golden_path, values)
        answers = {v.name: rendered[v.name] for v in golden_path.variables}
    for variable in golden_path.variables:
        check_value(variable, answers[variable.name])
    if rendered is not None:
        _remember(golden_path, answers, rendered)
    return answers


def _complete(golden_path: GoldenPath, values: Mapping[str, Any]) -> bool:
    """Every variable answered with plain text: nothing to render (as for a record's answers)."""
    return all(
        v.name in values and not (isinstance(values[v.name], str) and ("{{" in values[v.name] or "{%" in values[v.name]))
        for v in golden_path.variables
    )


def render_context(golden_path: GoldenPath, values: Mapping[str, Any]) -> dict[str, Any]:
    """Cookiecutter's own rendering of the context: defaults may refer to earlier answers.

    Validation and rendering both need it for the same answers, so the last
    result is kept (a copy is returned; the context is small).
    """
    import copy

    key = _context_key(golden_path, values)
    if _LAST_CONTEXT and _LAST_CONTEXT[0] == key:
        return copy.deepcopy(_LAST_CONTEXT[1])
    rendered = _render_context(golden_path, values)
    _LAST_CONTEXT[:] = [key, rendered]
    return copy.deepcopy(rendered)


_LAST_CONTEXT: list[Any] = []


def _context_key(golden_path: GoldenPath, values: Mapping[str, Any]) -> tuple[Any, ...]:
    return (golden_path.template_dir, golden_path.trusted, tuple(sorted((k, repr(v)) for k, v in values.items())))


def _remember(golden_path: GoldenPath, answers: Mapping[str, Any], rendered: dict[str, Any]) -> None:
    """Every answer given, the context renders the same: keep it under the full answers too."""
    _LAST_CONTEXT[:] = [_context_key(golden_path, answers), rendered]


def _render_context(golden_path: GoldenPath, values: Mapping[str, Any]) -> dict[str, Any]:
    import copy

    from cookiecutter.exceptions import UndefinedVariableInTemplate
    from cookiecutter.generate import apply_overwrites_to_context
    from cookiecutter.prompt import prompt_for_config

    from platctl.scaffold.render import refuse_untrusted_code

    refuse_untrusted_code(golden_path)
    context = copy.deepcopy(golden_path.context)
    apply_overwrites_to_context(context, dict(values))
    try:
        return dict(prompt_for_config({"cookiecutter": context}, no_input=True))
    except UndefinedVariableInTemplate as error:
        raise UserError(f"{golden_path.name}: {error.message}: {error.error.message}") from None


def _as_text(value: Any) -> Any:
    if isinstance(value, bool):
        return value
    return "" if value is None else str(value)


def check_value(variable: Variable, value: Any) -> None:
    """Raise a one-line UserError when ``value`` does not fit ``variable``."""
    text = str(value)
    if variable.choices and text not in variable.choices:
        _bad(variable, text, f"choose one of {', '.join(variable.choices)}")
    if variable.required and not text.strip():
        _bad(variable, text, "a value is required")
    if variable.type in ("int", "float"):
        _check_number(variable, text)
    if variable.pattern and not re.fullmatch(variable.pattern, text):
        example = f" (for example {variable.default!r})" if variable.default and not variable.secret else ""
        _bad(variable, text, f"it must match {variable.pattern}{example}")


def _check_number(variable: Variable, text: str) -> None:
    kind = int if variable.type == "int" else float
    try:
        number = kind(text)
    except ValueError:
        _bad(variable, text, f"it must be {'a whole number' if kind is int else 'a number'}")
        return
    low, high = variable.minimum, variable.maximum
    if (low is not None and number < low) or (high is not None and number > high):
        _bad(variable, text, f"it must be between {low} and {high}")


def _bad(variable: Variable, text: str, why: str) -> None:
    shown = "***" if variable.secret else repr(text)
    raise UserError(f"invalid value {shown} for {variable.name}: {why}")
