"""Golden paths: where the bundled ones live and what a template declares.

A golden path is a plain cookiecutter template (``cookiecutter.json`` plus one
``{{cookiecutter.…}}`` directory). An optional manifest, ``golden-path.yaml``,
beside it adds a name, a version, a description, per-variable help and
validation, and which files the platform owns (managed) or the team owns
after the first render (seeded).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from platctl.bundle import bundled_root
from platctl.errors import TemplateError

MANIFEST_NAME = "golden-path.yaml"
BUNDLED_PREFIX = "bundled:"


@dataclass(frozen=True)
class Variable:
    """One template variable, merged from cookiecutter.json and the manifest."""

    name: str
    default: Any
    choices: tuple[str, ...] = ()
    help: str = ""
    pattern: str | None = None
    type: str = "str"
    minimum: float | None = None
    maximum: float | None = None
    required: bool = False
    secret: bool = False


@dataclass(frozen=True)
class GoldenPath:
    """A template ready to render: its directory, identity and variables."""

    name: str
    version: str
    description: str
    source: str
    template_dir: Path
    variables: tuple[Variable, ...]
    managed: tuple[str, ...] = ()
    seeded: tuple[str, ...] = ()
    extends: tuple[str, ...] = ()  # shared layers, relative to the template directory
    context: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)
    commit: str | None = None
    trusted: bool = False  # may run hooks and load _extensions: bundled, --trust, or allow-listed

    def at(self, version: str, commit: str | None) -> GoldenPath:
        """The same golden path, identified by a git version and commit."""
        return replace(self, version=version, commit=commit)

    def with_trust(self) -> GoldenPath:
        return replace(self, trusted=True)

    @property
    def runs_code(self) -> bool:
        """Whether rendering would run the template's own Python (hooks or Jinja extensions)."""
        return bool(self.context.get("_extensions")) or (self.template_dir / "hooks").is_dir()

    def variable(self, name: str) -> Variable | None:
        return next((v for v in self.variables if v.name == name), None)

    def ownership(self, path: str) -> str:
        """Who owns a rendered file: ``seeded`` (the team), ``managed`` (the platform) or ``unowned``.

        Without a manifest every file is managed, like a plain cookiecutter template under cruft.
        """
        if any(matches_glob(path, g) for g in self.seeded):
            return "seeded"
        if not self.managed or any(matches_glob(path, g) for g in self.managed):
            return "managed"
        return "unowned"


def matches_glob(path: str, pattern: str) -> bool:
    """Match a POSIX relative path against a manifest glob; ``dir/**`` covers everything below dir."""
    import fnmatch

    if pattern.endswith("/**"):
        return path.startswith(pattern[:-2])
    return fnmatch.fnmatchcase(path, pattern)


def bundled_names() -> list[str]:
    root = bundled_root()
    if not root.is_dir():
        return []
    return sorted(p.name for p in root.iterdir() if (p / "cookiecutter.json").is_file())


def list_golden_paths() -> list[GoldenPath]:
    return [load_template_dir(bundled_root() / name, BUNDLED_PREFIX + name) for name in bundled_names()]


def load_template_dir(template_dir: Path, source: str) -> GoldenPath:
    """Read a template directory's variables and optional manifest."""
    context = _read_context(template_dir / "cookiecutter.json")
    manifest = _read_manifest(template_dir / MANIFEST_NAME)
    specs = manifest.get("variables") or {}
    _check_manifest_variables(specs, context, template_dir)
    variables = tuple(
        _variable(key, value, specs.get(key) or {})
        for key, value in context.items()
        if not key.startswith("_")
    )
    return GoldenPath(
        name=str(manifest.get("name") or template_dir.name),
        version=str(manifest.get("version") or "0.0.0"),
        description=str(manifest.get("description") or "").strip(),
        source=source,
        template_dir=template_dir,
        variables=variables,
        managed=tuple(str(g) for g in manifest.get("managed") or ()),
        seeded=tuple(str(g) for g in manifest.get("seeded") or ()),
        extends=tuple(str(layer) for layer in manifest.get("extends") or ()),
        context=context,
        trusted=source.startswith(BUNDLED_PREFIX) or _allow_listed(source),
    )


def _allow_listed(source: str) -> bool:
    from platctl.scaffold.trust import is_trusted

    return is_trusted(source)


def _read_context(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise TemplateError(f"{path}: cannot read the template's variables: {error}") from error
    if not isinstance(data, dict):
        raise TemplateError(f"{path}: must hold a JSON object of variables")
    return data


def _read_manifest(path: Path) -> dict[str, Any]:
    if not path.is_file():
        return {}
    import yaml

    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise TemplateError(f"{path}: cannot read the golden-path manifest: {error}") from error
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise TemplateError(f"{path}: the golden-path manifest must be a mapping")
    return data


def _check_manifest_variables(specs: Any, context: dict[str, Any], template_dir: Path) -> None:
    if not isinstance(specs, dict):
        raise TemplateError(f"{template_dir / MANIFEST_NAME}: 'variables' must be a mapping")
    unknown = sorted(set(specs) - set(context))
    if unknown:
        raise TemplateError(
            f"{template_dir / MANIFEST_NAME}: variables {', '.join(unknown)} are not in cookiecutter.json"
        )


def _variable(name: str, default: Any, spec: dict[str, Any]) -> Variable:
    choices = tuple(str(c) for c in default) if isinstance(default, list) else ()
    return Variable(
        name=name,
        default=choices[0] if choices else default,
        choices=choices,
        help=str(spec.get("help", "")),
        pattern=spec.get("pattern"),
        type=str(spec.get("type", "bool" if isinstance(default, bool) else "str")),
        minimum=spec.get("min"),
        maximum=spec.get("max"),
        required=bool(spec.get("required", False)),
        secret=bool(spec.get("secret", False)),
    )
