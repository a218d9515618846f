"""Reading a template directory: ``cookiecutter.json``, the ``golden-path.yaml`` manifest and its file names.

Plain data and small readers for ``platctl.scaffold.catalog``; every malformed
piece is a one-line :class:`~platctl.errors.TemplateError` naming the file.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from platctl.errors import TemplateError

MANIFEST_NAME = "golden-path.yaml"


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
    when: str = ""  # a Jinja expression over earlier answers; the variable applies only when it is true
    pattern_help: str = ""  # what a valid value looks like, in words, shown instead of the pattern
    group: str = ""  # the heading the question is asked under (service, ownership, delivery, ...)
    choice_help: tuple[tuple[str, str], ...] = ()  # (choice, what it means)


@dataclass(frozen=True)
class Artifact:
    """A part of a service a repository may already provide its own way (its CI, its container)."""

    name: str
    files: tuple[str, ...]  # the golden path's files for it
    present_when: tuple[str, ...]  # globs: the repository provides it when any matches


_JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}")


def template_files(directory: Path) -> list[str]:
    folders = [p for p in directory.iterdir() if p.is_dir() and "cookiecutter" in p.name] if directory.is_dir() else []
    if len(folders) != 1:
        return []
    files = []
    for current, _, names in os.walk(folders[0]):
        rel = os.path.relpath(current, folders[0]).replace(os.sep, "/")
        for file_name in names:
            files.append(_JINJA.sub("*", file_name if rel == "." else f"{rel}/{file_name}"))
    return files


def layer_dir(own: Path, layer: str) -> Path:
    path = (own / layer).resolve()
    if own.parent not in path.parents or path == own:
        raise TemplateError(f"{own / MANIFEST_NAME}: layer {layer!r} must be a directory beside the golden path")
    if not path.is_dir():
        raise TemplateError(f"{own / MANIFEST_NAME}: layer {layer!r} does not exist")
    if (path / "cookiecutter.json").exists() or (path / MANIFEST_NAME).exists():
        raise TemplateError(f"{own / MANIFEST_NAME}: layer {layer!r} is a golden path itself; layers hold files only")
    return path


@dataclass(frozen=True)
class AdoptFacts:
    """The manifest's ``adopt:`` key: the files that mark each ``package_manager`` choice (first match
    wins), files that work only at a repository's root, and where the adoption report goes."""

    package_managers: tuple[tuple[str, tuple[str, ...]], ...] = ()
    root_only: tuple[str, ...] = ()
    report: str = "docs/adoption.md"


def adopt_facts(manifest: dict[str, Any], where: Path) -> AdoptFacts:
    section = _mapping(manifest, "adopt", where)
    managers = _mapping(section, "package_managers", where)
    return AdoptFacts(
        package_managers=tuple((str(name), _strings(markers, f"{where}: adopt.package_managers.{name}"))
                               for name, markers in managers.items()),
        root_only=_strings(section.get("root_only"), f"{where}: adopt.root_only"),
        report=str(section.get("report") or AdoptFacts.report),
    )


def facts(manifest: dict[str, Any], template_dir: Path) -> dict[str, Any]:
    """The manifest's facts for adopt, CI015 and releases, checked for shape."""
    where = template_dir / MANIFEST_NAME
    language = _mapping(manifest, "language", where)
    pipeline = _mapping(manifest, "pipeline", where)
    artifacts = _mapping(manifest, "artifacts", where)
    return {
        "language": str(language.get("name") or ""),
        "language_markers": _strings(language.get("markers"), f"{where}: language.markers"),
        "application": _strings(manifest.get("application"), f"{where}: application"),
        "artifacts": tuple(
            Artifact(
                str(name),
                _strings(_mapping(artifacts, name, where).get("files"), f"{where}: artifacts.{name}.files"),
                _strings(
                    _mapping(artifacts, name, where).get("present_when"), f"{where}: artifacts.{name}.present_when"
                ),
            )
            for name in artifacts
        ),
        "pipeline_variable": str(pipeline.get("variable") or ""),
        "pipelines": tuple((str(k), str(v)) for k, v in _mapping(pipeline, "files", where).items()),
        "reference_answers": tuple(_mapping(manifest, "reference_answers", where).items()),
        "default": bool(manifest.get("default", False)),
        "adopt": adopt_facts(manifest, where),
    }


def _mapping(data: dict[str, Any], key: str, where: Path) -> dict[str, Any]:
    value = data.get(key) or {}
    if not isinstance(value, dict):
        raise TemplateError(f"{where}: {key!r} must be a mapping")
    return value


def _strings(value: Any, what: str) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list):
        raise TemplateError(f"{what} must be a list")
    return tuple(str(v) for v in value)


def read_context(path: Path) -> dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise TemplateError(f"{path}: cannot read the template's variables: {error}") from error
    if not isinstance(data, dict):
        raise TemplateError(f"{path}: must hold a JSON object of variables")
    return data


def read_manifest(path: Path) -> dict[str, Any]:
    if not path.is_file():
        return {}
    import yaml

    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as error:
        raise TemplateError(f"{path}: cannot read the golden-path manifest: {error}") from error
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise TemplateError(f"{path}: the golden-path manifest must be a mapping")
    return data


def check_manifest_variables(specs: Any, context: dict[str, Any], template_dir: Path) -> None:
    if not isinstance(specs, dict):
        raise TemplateError(f"{template_dir / MANIFEST_NAME}: 'variables' must be a mapping")
    unknown = sorted(set(specs) - set(context))
    if unknown:
        raise TemplateError(
            f"{template_dir / MANIFEST_NAME}: variables {', '.join(unknown)} are not in cookiecutter.json"
        )


def variable_from(name: str, default: Any, spec: dict[str, Any]) -> Variable:
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
        when=str(spec.get("when") or "").strip(),
        pattern_help=str(spec.get("pattern_help") or ""),
        group=str(spec.get("group") or ""),
        choice_help=tuple((str(k), str(v)) for k, v in _choice_help(name, spec.get("choice_help"))),
    )


def _choice_help(name: str, value: Any) -> list[tuple[Any, Any]]:
    if value is None:
        return []
    if not isinstance(value, dict):
        raise TemplateError(f"{MANIFEST_NAME}: variables.{name}.choice_help must map each choice to its help")
    return list(value.items())
