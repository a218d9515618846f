"""Golden paths: the one model of a template and what its manifest declares.

A golden path is a plain cookiecutter template (``cookiecutter.json`` plus one
``{{cookiecutter.…}}`` directory). An optional manifest, ``golden-path.yaml``,
beside it adds a name, a version, a description, per-variable help and
validation, which files the platform owns (managed) or the team owns after the
first render (seeded), and the facts other commands need: the language a
repository must speak for ``adopt`` to pick it, the application files adopt
never adds, the artifacts a repository may provide its own way, the pipeline
file each CI provider gets, and the answers a release's reference render uses.
scaffold, doctor, upgrade, adopt and ``golden-paths lint`` all read it from here.

Importing this module loads none of cookiecutter, jinja2, git, yaml or rich.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Mapping

from platctl.bundle import bundled_root
from platctl.errors import TemplateError
from platctl.scaffold.manifest import (
    MANIFEST_NAME,
    AdoptFacts,
    Artifact,
    Variable,
    check_manifest_variables,
    facts,
    layer_dir,
    read_context,
    read_manifest,
    template_files,
    variable_from,
)

__all__ = [
    "MANIFEST_NAME",
    "AdoptFacts",
    "Artifact",
    "GoldenPath",
    "Variable",
    "bundled_golden_path",
    "load_template_dir",
]

BUNDLED_PREFIX = "bundled:"


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
    language: str = ""  # what ``adopt`` matches a repository against
    language_markers: tuple[str, ...] = ()
    application: tuple[str, ...] = ()  # the app itself: adopt never adds these
    artifacts: tuple[Artifact, ...] = ()
    pipeline_variable: str = ""  # the variable that picks the CI provider
    pipelines: tuple[tuple[str, str], ...] = ()  # (provider, pipeline file)
    reference_answers: tuple[tuple[str, Any], ...] = ()  # what a release's reference render is made with
    default: bool = False  # the golden path `new` uses when none is named
    adopt: AdoptFacts = AdoptFacts()  # package-manager markers, root-only files, where the adoption report goes

    def at(self, version: str, commit: str | None) -> GoldenPath:
        """The same golden path, identified by a git version and commit."""
        return replace(self, version=version, commit=commit)

    def with_trust(self) -> GoldenPath:
        return replace(self, trusted=True)

    @property
    def runs_code(self) -> bool:
        """Whether rendering would run the template's own Python (hooks or Jinja extensions)."""
        return bool(self.context.get("_extensions")) or (self.template_dir / "hooks").is_dir()

    def layer_dirs(self) -> list[Path]:
        """The layers this golden path ``extends``, checked to lie beside it in the same collection."""
        own = self.template_dir.resolve()
        return [layer_dir(own, layer) for layer in self.extends]

    @functools.cached_property
    def template_files(self) -> tuple[str, ...]:
        """Every file a render can hold, as globs (a templated name becomes ``*``), its layers included."""
        files: set[str] = set(template_files(self.template_dir))
        for layer in self.layer_dirs():
            files.update(template_files(layer))
        return tuple(sorted(files))

    def provides(self, path: str) -> bool:
        """Whether a fresh render of this golden path can contain ``path``."""
        import fnmatch

        return path in self.template_files or any(fnmatch.fnmatchcase(path, p) for p in self.template_files if "*" in p)

    def pipeline_file(self, answers: Mapping[str, Any]) -> str | None:
        """The pipeline file the CI provider chosen in ``answers`` gets, when the manifest says."""
        if not self.pipeline_variable:
            return None
        chosen = str(answers.get(self.pipeline_variable) or self._default_of(self.pipeline_variable))
        return dict(self.pipelines).get(chosen)

    def _default_of(self, name: str) -> Any:
        variable = self.variable(name)
        return variable.default if variable else ""

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


def bundled_golden_path(name: str) -> GoldenPath | None:
    """The bundled golden path called ``name`` (``bundled:`` prefix allowed), or None when there is none."""
    name = name.removeprefix(BUNDLED_PREFIX)
    if not name or "/" in name or name.startswith(".") or name not in bundled_names():
        return None
    try:
        return load_bundled(name)
    except TemplateError:
        return None


def load_bundled(name: str) -> GoldenPath:
    """A bundled golden path's current version, read once per process and bundle (a broken one raises)."""
    return _load_bundled(bundled_root(), name)


@functools.cache
def _load_bundled(root: Path, name: str) -> GoldenPath:
    return load_template_dir(root / name, BUNDLED_PREFIX + name)


def default_golden_path() -> str:
    """The bundled golden path whose manifest says ``default: true`` (else the first by name)."""
    paths = list_golden_paths()
    chosen = next((p for p in paths if p.default), paths[0] if paths else None)
    return chosen.name if chosen else ""


def bundled_names() -> list[str]:
    root = bundled_root()
    if not root.is_dir():
        return []
    return sorted(p.name for p in root.iterdir() if (p / "cookiecutter.json").is_file())


def list_golden_paths() -> list[GoldenPath]:
    return [load_bundled(name) for name in bundled_names()]


def load_template_dir(template_dir: Path, source: str) -> GoldenPath:
    """Read a template directory's variables and optional manifest."""
    context = read_context(template_dir / "cookiecutter.json")
    manifest = read_manifest(template_dir / MANIFEST_NAME)
    specs = manifest.get("variables") or {}
    check_manifest_variables(specs, context, template_dir)
    variables = tuple(
        variable_from(key, value, specs.get(key) or {}) for key, value in context.items() if not key.startswith("_")
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
        **facts(manifest, template_dir),
    )


def _allow_listed(source: str) -> bool:
    from platctl.scaffold.trust import is_trusted

    return is_trusted(source)
