"""Loading the org policy and the repo section, and merging them with the command line.

See :mod:`platctl.doctor.config` for the precedence and what a policy can lock.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from platctl.doctor.config import (
    POLICY_KEYS,
    SECTION_KEYS,
    CodeResolver,
    EffectiveConfig,
    Policy,
    Section,
    check_keys,
    parse_section,
)
from platctl.doctor.model import Severity
from platctl.errors import ConfigError
from platctl.yamlload import YamlParseError, load_yaml_documents

POLICY_ENV = "PLATCTL_POLICY"


def read_yaml_config(path: Path) -> Any:
    """The first document of a YAML config file; a ConfigError names file and line."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"{path}: not found") from None
    except (OSError, UnicodeDecodeError) as error:
        raise ConfigError(f"{path}: cannot be read: {error}") from None
    try:
        documents = load_yaml_documents(text)
    except YamlParseError as error:
        where = f"{path}:{error.line}" if error.line else str(path)
        raise ConfigError(f"{where}: not valid YAML ({error}); fix the syntax") from None
    return documents[0] if documents else None


def policy_path(explicit: Path | None) -> Path | None:
    if explicit is not None:
        return explicit
    from_env = os.environ.get(POLICY_ENV, "").strip()
    return Path(from_env) if from_env else None


def load_policy(path: Path | None, resolver: CodeResolver) -> Policy:
    if path is None:
        return Policy()
    data = read_yaml_config(path)
    source = str(path)
    if isinstance(data, dict) and "policy" in data and len(data) == 1:
        data = data["policy"]
    if data is None:
        return Policy()
    if not isinstance(data, dict):
        raise ConfigError(f"{source}: a policy file must be a mapping")
    check_keys(data, POLICY_KEYS, source, "policy")
    custom = _custom_rules(data.get("rules"), source, resolver)
    if custom:
        resolver = CodeResolver([*resolver.pairs, *((r.code, r.meta.slug) for r in custom)])
    return Policy(
        section=parse_section({k: v for k, v in data.items() if k in SECTION_KEYS}, source, resolver, "policy"),
        allow_ignore=_flag(data, "allow_ignore", source),
        allow_waivers=_flag(data, "allow_waivers", source),
        allow_severity_override=_flag(data, "allow_severity_override", source),
        locked=frozenset(resolver.resolve_all(data.get("locked", []), f"{source}: locked")),
        custom_rules=custom,
    )


def _flag(data: Mapping[str, Any], key: str, source: str) -> bool:
    value = data.get(key, True)
    if not isinstance(value, bool):
        raise ConfigError(f"{source}:{data.line_of(key) if hasattr(data, 'line_of') else 0}: {key} must be true or "
                          "false")
    return value


def _custom_rules(data: Any, source: str, resolver: CodeResolver) -> tuple[Any, ...]:
    if not data:
        return ()
    from platctl.doctor.custom import parse_custom_rules

    return parse_custom_rules(data, source, set(resolver.codes))


def load_repo_section(record: Any, source: str, resolver: CodeResolver,
                      renders: frozenset[str] = frozenset()) -> Section:
    """The repository's ``doctor:`` section; it may not turn on the ``renders`` rules."""
    if not isinstance(record, dict):
        return Section(source=source)
    return parse_section(record.get("doctor"), source, resolver, forbidden=renders)


def merge(policy: Policy, repo: Section, cli: Section, all_codes: tuple[str, ...],
          default_codes: tuple[str, ...] | None = None, renders: frozenset[str] = frozenset()) -> EffectiveConfig:
    """Apply policy, repo and command line in order, refusing what the policy forbids.

    Without a ``select`` anywhere, the rules that are on by default run
    (``default_codes``; all of them when not given); ``extend_select`` adds to that.
    Rules that render (``renders``) are on only when the policy or the command line selects them.
    """
    _enforce(policy, repo, all_codes, narrowing_select_is_ignore=True, renders=renders)
    _enforce(policy, cli, all_codes, narrowing_select_is_ignore=False)
    select = cli.select if cli.select is not None else repo.select if repo.select is not None else policy.section.select
    enabled = set(select if select is not None else (all_codes if default_codes is None else default_codes))
    enabled |= {*policy.section.extend_select, *repo.extend_select, *cli.extend_select}
    enabled = (enabled - renders) | (renders & _trusted_selection(policy, cli))
    enabled -= {*policy.section.ignore, *repo.ignore, *cli.ignore}
    enabled |= policy.locked & set(all_codes)
    options: dict[str, dict[str, Any]] = {}
    for layer in (policy.section, repo):
        _check_option_names(layer)
    for layer in (policy.section, repo, cli):
        for code, values in layer.options.items():
            options.setdefault(code, {}).update(values)
    return EffectiveConfig(
        enabled=frozenset(enabled),
        severity={**policy.section.severity, **repo.severity, **cli.severity},
        per_path_ignores=(*policy.section.per_path_ignores, *repo.per_path_ignores),
        waivers=(*policy.section.waivers, *repo.waivers),
        options=options,
        roles=_merged_roles(repo, policy.section),
    )


def _merged_roles(*layers: Section) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """Each role's globs, the repository's before the policy's."""
    merged: dict[str, tuple[str, ...]] = {}
    for layer in layers:
        for role, globs in layer.roles:
            merged[role] = merged.get(role, ()) + globs
    return tuple(merged.items())


def _trusted_selection(policy: Policy, cli: Section) -> set[str]:
    """What the policy and the command line select, leaving the repository's own choice out."""
    select = cli.select if cli.select is not None else policy.section.select
    return {*(select or ()), *policy.section.extend_select, *cli.extend_select}


def _enforce(policy: Policy, layer: Section, all_codes: tuple[str, ...], narrowing_select_is_ignore: bool,
             renders: frozenset[str] = frozenset()) -> None:
    """Refuse what the policy forbids. A repo's ``select`` that leaves rules out counts as ignoring them
    (leaving out a rule that renders does not: the repo could not select it);
    ``--select`` on the command line only focuses a run (locked rules still run)."""
    dropped = set(layer.ignore) | {c for _, codes in layer.per_path_ignores for c in codes}
    if narrowing_select_is_ignore and layer.select is not None:
        dropped |= set(all_codes) - set(layer.select) - renders
    dropped |= {"roles"} if any(role != "production" for role, _ in layer.roles) else set()
    if dropped and not policy.allow_ignore:
        raise ConfigError(f"{layer.source}: the policy forbids ignoring rules (allow_ignore: false)")
    if layer.waivers and not policy.allow_waivers:
        raise ConfigError(f"{layer.source}:{layer.waivers[0].line}: the policy forbids waivers (allow_waivers: "
                          "false)")
    locked = sorted(policy.locked & (dropped | {w.rule for w in layer.waivers}))
    if locked:
        raise ConfigError(f"{layer.source}: {', '.join(locked)} is locked by the policy and cannot be ignored or "
                          "waived")
    _enforce_severity(policy, layer)


def _check_option_names(layer: Section) -> None:
    from platctl.doctor.rules import RULES_BY_CODE

    for code, values in layer.options.items():
        rule = RULES_BY_CODE.get(code)
        known = [name for name, _ in rule.meta.options] if rule else []
        unknown = sorted(set(values) - set(known))
        if unknown:
            raise ConfigError(
                f"{layer.source}: {code} has no option {unknown[0]!r} " f"(it has: {', '.join(known) or 'none'})"
            )


def _enforce_severity(policy: Policy, layer: Section) -> None:
    from platctl.doctor.rules import RULES_BY_CODE

    for code, severity in layer.severity.items():
        rule = RULES_BY_CODE.get(code)
        default = policy.section.severity.get(code) or (rule.meta.severity if rule else Severity.INFO)
        if severity.rank < default.rank and (code in policy.locked or not policy.allow_severity_override):
            raise ConfigError(f"{layer.source}: the policy forbids lowering {code} below {default.value}")
