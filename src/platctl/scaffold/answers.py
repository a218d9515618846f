"""Answers: where a template's values come from, and whether they are valid.

Precedence, highest first: ``--set KEY=VALUE``, then ``--answers FILE``, then
what the user typed at a prompt, then the template's defaults. Every value is
checked against its variable before anything is written.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Any, Iterable, Mapping

from platctl.errors import ConfigError, UserError, located
from platctl.scaffold.catalog import GoldenPath, Variable
from platctl.scaffold.conditions import inapplicable

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


def load_answers_file(path: Path) -> dict[str, Any]:
    """Read a YAML answers file: a mapping of variable names to values."""
    import yaml

    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UserError(f"answers file {path} does not exist: check its path") from None
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
    """Every public variable's value: the given ones as data, and defaults rendered against them.

    A variable whose ``when`` is false keeps its value for the render but is not validated.
    """
    check_known_keys(golden_path, given, "the answers")
    values = {k: _as_text(v) for k, v in given.items()}
    secrets = secret_values(golden_path, values)
    for name, value in values.items():
        variable = golden_path.variable(name)
        if variable is not None and variable.choices:
            check_value(variable, value, secrets)
    rendered = render_context(golden_path, values)
    answers = {v.name: rendered[v.name] for v in golden_path.variables}
    secrets = secret_values(golden_path, answers)
    skipped = inapplicable(golden_path, rendered)
    for variable in golden_path.variables:
        if variable.name not in skipped:
            check_value(variable, answers[variable.name], secrets)
    return answers


def render_context(golden_path: GoldenPath, values: Mapping[str, Any]) -> dict[str, Any]:
    """The template's whole context, as cookiecutter builds it without prompting.

    A given value is data: it is used as it is and never rendered, wherever it
    came from (``--set``, an answers file, a record, a catalog). Every other
    default renders in the sandbox against the values before it; a choice
    defaults to its first option; private ``_`` keys are copied, ``__`` keys rendered.
    """
    import copy

    from platctl.scaffold.render import refuse_untrusted_code
    from platctl.scaffold.sandbox import environment

    refuse_untrusted_code(golden_path)
    env = environment(golden_path.context, golden_path.trusted)
    context: dict[str, Any] = {}
    raw_items = [(k, v) for k, v in golden_path.context.items() if k != "__prompts__"]
    for key, raw in raw_items:
        if key.startswith("_") and not key.startswith("__"):
            context[key] = copy.deepcopy(raw)
        elif key in values:
            context[key] = values[key]
        elif not isinstance(raw, dict):
            context[key] = _render_default(
                golden_path, env, key, raw[0] if isinstance(raw, list) and raw else raw, context
            )
    for key, raw in raw_items:
        if isinstance(raw, dict) and key not in values and not (key.startswith("_") and not key.startswith("__")):
            context[key] = _render_default(golden_path, env, key, raw, context)
    return context


def _render_default(golden_path: GoldenPath, env: Any, key: str, raw: Any, context: dict[str, Any]) -> Any:
    """cookiecutter's ``render_variable``: strings render, containers render item by item, booleans stay."""
    from platctl.scaffold.sandbox import guarded

    if raw is None or isinstance(raw, bool):
        return raw
    if isinstance(raw, dict):
        return {
            _render_default(golden_path, env, key, k, context): _render_default(golden_path, env, key, v, context)
            for k, v in raw.items()
        }
    if isinstance(raw, list):
        return [_render_default(golden_path, env, key, v, context) for v in raw]
    template = str(raw)
    if "{" not in template and not golden_path.context.get("_jinja2_env_vars"):
        return template
    where = f"the default of {key!r}"
    return guarded(golden_path.source, where, lambda: env.from_string(template).render(cookiecutter=context))


SECRET_MIN_LENGTH = 4  # shorter values are too common to treat every value containing them as a secret


def secret_values(golden_path: GoldenPath, answers: Mapping[str, Any]) -> tuple[str, ...]:
    """The values of secret variables, long enough to recognise inside other values."""
    values = (str(answers.get(v.name) or "") for v in golden_path.variables if v.secret)
    return tuple(sorted({v for v in values if len(v) >= SECRET_MIN_LENGTH}, key=len, reverse=True))


def secret_names(golden_path: GoldenPath, answers: Mapping[str, Any]) -> frozenset[str]:
    """Secret variables, and every variable whose value contains a secret's value (``db_url`` built from a token)."""
    secrets = secret_values(golden_path, answers)
    return frozenset(
        v.name for v in golden_path.variables if v.secret or any(s in str(answers.get(v.name, "")) for s in secrets)
    )


def redact(text: str, secrets: Iterable[str]) -> str:
    """``text`` with every secret value replaced by ``***``."""
    for secret in secrets:
        text = text.replace(secret, "***")
    return text


def _as_text(value: Any) -> Any:
    if isinstance(value, bool):
        return value
    return "" if value is None else str(value)


def check_value(variable: Variable, value: Any, secrets: tuple[str, ...] = ()) -> None:
    """Raise a one-line UserError when ``value`` does not fit ``variable``; secret values never show."""
    text = str(value)
    if variable.secret or any(s in text for s in secrets):
        variable = replace(variable, secret=True)
    if variable.choices and text not in variable.choices:
        _bad(variable, text, f"choose one of {', '.join(variable.choices)}")
    if variable.required and not text.strip():
        _bad(variable, text, "a value is required")
    if variable.type in ("int", "float"):
        _check_number(variable, text)
    if variable.pattern and not re.fullmatch(variable.pattern, text) and variable.pattern_help:
        _bad(variable, text, f"use {variable.pattern_help}")
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
