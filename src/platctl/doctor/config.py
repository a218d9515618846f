"""doctor's configuration: the org policy, the repo's ``doctor:`` section and the command line.

Precedence, lowest to highest: built-in defaults < policy file (``--policy`` or
``PLATCTL_POLICY``) < the ``doctor:`` section of ``.platctl.yaml`` < command-line
flags. The policy may forbid loosening: ``allow_ignore: false`` rejects repo
ignores, ``allow_waivers: false`` rejects repo waivers,
``allow_severity_override: false`` rejects lowering a severity, and ``locked``
rules can be neither ignored, lowered nor waived. Every unknown key or rule
names its file and line in a :class:`~platctl.errors.ConfigError`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from platctl.doctor.model import Severity
from platctl.errors import ConfigError

SECTION_KEYS = ("select", "extend_select", "ignore", "severity", "per_path_ignores", "waivers", "options", "roles")
POLICY_KEYS = (*SECTION_KEYS, "allow_ignore", "allow_waivers", "allow_severity_override", "locked", "rules", "version")
WAIVER_KEYS = ("rule", "path", "reason", "expires")


@dataclass(frozen=True)
class Waiver:
    """A finding the team accepts for now: a rule on a path glob, why, and until when."""

    rule: str
    path: str
    reason: str
    expires: dt.date | None
    source: str
    line: int

    def expired(self, today: dt.date) -> bool:
        return self.expires is not None and self.expires < today


@dataclass(frozen=True)
class Section:
    """One layer of configuration, codes already resolved."""

    source: str = ""
    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()  # added to the selection, e.g. rules that are off by default
    ignore: tuple[str, ...] = ()
    severity: Mapping[str, Severity] = field(default_factory=dict)
    per_path_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    waivers: tuple[Waiver, ...] = ()
    options: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    roles: tuple[tuple[str, tuple[str, ...]], ...] = ()  # role -> path globs (see platctl.doctor.roles)


@dataclass(frozen=True)
class Policy:
    """The organisation's policy: its doctor section and what a repository may or may not change."""

    section: Section = Section()
    allow_ignore: bool = True
    allow_waivers: bool = True
    allow_severity_override: bool = True
    locked: frozenset[str] = frozenset()
    custom_rules: tuple[Any, ...] = ()


@dataclass(frozen=True)
class EffectiveConfig:
    """What the engine applies to one service."""

    enabled: frozenset[str]
    severity: Mapping[str, Severity]
    per_path_ignores: tuple[tuple[str, tuple[str, ...]], ...]
    waivers: tuple[Waiver, ...]
    options: Mapping[str, Mapping[str, Any]]
    roles: tuple[tuple[str, tuple[str, ...]], ...] = ()


class CodeResolver:
    """Turns codes, slugs, area prefixes and ``ALL`` into rule codes, or a ConfigError naming the place."""

    def __init__(self, codes_and_slugs: Iterable[tuple[str, str]]) -> None:
        pairs = list(codes_and_slugs)
        self.pairs = tuple(pairs)
        self.codes = tuple(code for code, _ in pairs)
        self.by_name = {code.upper(): code for code, _ in pairs} | {slug.lower(): code for code, slug in pairs}

    def resolve(self, name: str, where: str) -> tuple[str, ...]:
        text = str(name).strip()
        if text.upper() == "ALL":
            return self.codes
        exact = self.by_name.get(text.upper()) or self.by_name.get(text.lower())
        if exact:
            return (exact,)
        prefixed = tuple(c for c in self.codes if c.startswith(text.upper()) and text[:1].isalpha())
        if prefixed:
            return prefixed
        raise ConfigError(f"{where}: unknown rule {text!r} (see `platctl rules`)")

    def resolve_all(self, names: Any, where: str) -> tuple[str, ...]:
        if isinstance(names, str):
            names = [n for n in names.replace(",", " ").split() if n]
        if not isinstance(names, list):
            raise ConfigError(f"{where}: expected a list of rule codes")
        return tuple(dict.fromkeys(code for name in names for code in self.resolve(str(name), where)))


def _where(source: str, node: Any, key: Any = None) -> str:
    line = node.line_of(key) if key is not None and hasattr(node, "line_of") else getattr(node, "line", 0)
    return f"{source}:{line}" if line else source


def check_keys(data: Mapping[str, Any], allowed: Iterable[str], source: str, what: str) -> None:
    allowed = tuple(allowed)
    for key in data:
        if key not in allowed:
            raise ConfigError(f"{_where(source, data, key)}: unknown key {key!r} in {what} (known: "
                              f"{', '.join(allowed)})")


def parse_section(data: Any, source: str, resolver: CodeResolver, what: str = "doctor", extra: Iterable[str] = (),
                  forbidden: frozenset[str] = frozenset()) -> Section:
    """Validate one ``doctor:``-shaped mapping into a Section.

    ``forbidden``: rules this layer may not turn on (a repository cannot turn on a rule that renders);
    naming one is a ConfigError, ``ALL`` or an area prefix leaves them out.
    """
    if data is None:
        return Section(source=source)
    if not isinstance(data, dict):
        raise ConfigError(f"{_where(source, data)}: {what} must be a mapping")
    check_keys(data, (*SECTION_KEYS, *extra), source, what)
    return Section(
        source=source,
        select=_selection(data, "select", source, resolver, forbidden) if "select" in data else None,
        extend_select=_selection(data, "extend_select", source, resolver, forbidden) if "extend_select" in data else (),
        ignore=resolver.resolve_all(data.get("ignore", []), _where(source, data, "ignore")),
        severity=_severities(data.get("severity", {}), source, resolver),
        per_path_ignores=_per_path(data.get("per_path_ignores", {}), source, resolver),
        waivers=tuple(_waiver(w, source, resolver) for w in _list(data.get("waivers", []), source, data, "waivers")),
        options=_options(data.get("options", {}), source, resolver),
        roles=_roles(data.get("roles", {}), source),
    )


def _roles(data: Any, source: str) -> tuple[tuple[str, tuple[str, ...]], ...]:
    from platctl.doctor.roles import ROLES

    if not isinstance(data, dict):
        raise ConfigError(f"{_where(source, data)}: roles must map a role ({', '.join(ROLES)}) to path globs")
    for role, globs in data.items():
        if role not in ROLES:
            raise ConfigError(f"{_where(source, data, role)}: unknown role {role!r} (known: {', '.join(ROLES)})")
        if not isinstance(globs, list) or not all(isinstance(g, str) for g in globs):
            raise ConfigError(f"{_where(source, data, role)}: roles.{role} must be a list of path globs")
    return tuple((str(role), tuple(globs)) for role, globs in data.items())


def _selection(data: Any, key: str, source: str, resolver: CodeResolver, forbidden: frozenset[str]) -> tuple[str, ...]:
    where = _where(source, data, key)
    codes = resolver.resolve_all(data[key], where)
    if not forbidden:
        return codes
    names = data[key] if isinstance(data[key], list) else str(data[key]).replace(",", " ").split()
    for name in names:
        text = str(name).strip()
        named = resolver.by_name.get(text.upper()) or resolver.by_name.get(text.lower())
        if named in forbidden:
            raise ConfigError(f"{where}: {named} renders the golden path, so only the command line or the policy can "
                              f"turn it on (--extend-select {named}), not the repository's own configuration")
    return tuple(c for c in codes if c not in forbidden)


def _list(value: Any, source: str, parent: Any, key: str) -> list[Any]:
    if not isinstance(value, list):
        raise ConfigError(f"{_where(source, parent, key)}: {key} must be a list")
    return value


def _severities(data: Any, source: str, resolver: CodeResolver) -> dict[str, Severity]:
    if not isinstance(data, dict):
        raise ConfigError(f"{_where(source, data)}: severity must map rule codes to error, warning or info")
    result: dict[str, Severity] = {}
    for name, value in data.items():
        where = _where(source, data, name)
        try:
            severity = Severity(str(value).lower())
        except ValueError:
            raise ConfigError(f"{where}: severity {value!r} is not error, warning or info") from None
        result.update({code: severity for code in resolver.resolve(str(name), where)})
    return result


def _per_path(data: Any, source: str, resolver: CodeResolver) -> tuple[tuple[str, tuple[str, ...]], ...]:
    if not isinstance(data, dict):
        raise ConfigError(f"{_where(source, data)}: per_path_ignores must map path globs to lists of rules")
    return tuple((str(glob), resolver.resolve_all(codes, _where(source, data, glob))) for glob, codes in data.items())


def _options(data: Any, source: str, resolver: CodeResolver) -> dict[str, dict[str, Any]]:
    if not isinstance(data, dict):
        raise ConfigError(f"{_where(source, data)}: options must map rule codes to mappings")
    result: dict[str, dict[str, Any]] = {}
    for name, value in data.items():
        where = _where(source, data, name)
        if not isinstance(value, dict):
            raise ConfigError(f"{where}: options for {name} must be a mapping")
        for code in resolver.resolve(str(name), where):
            result[code] = dict(value)
    return result


def _waiver(data: Any, source: str, resolver: CodeResolver) -> Waiver:
    where = _where(source, data)
    if not isinstance(data, dict):
        raise ConfigError(f"{where}: a waiver must be a mapping with rule, path, reason and expires")
    check_keys(data, WAIVER_KEYS, source, "waiver")
    for key in ("rule", "path", "reason"):
        if not str(data.get(key) or "").strip():
            raise ConfigError(f"{where}: waiver needs a {key}")
    codes = resolver.resolve(str(data["rule"]), _where(source, data, "rule"))
    if len(codes) != 1:
        raise ConfigError(f"{_where(source, data, 'rule')}: a waiver names exactly one rule, not {data['rule']!r}")
    return Waiver(codes[0], str(data["path"]), str(data["reason"]), _date(data.get("expires"), source, data),
                  source, getattr(data, "line", 0))


def _date(value: Any, source: str, parent: Any) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise ConfigError(f"{_where(source, parent, 'expires')}: expires {value!r} is not a YYYY-MM-DD date") from None
