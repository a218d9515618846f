"""The scaffolding core: ``new_service`` and re-rendering a service from its record.

Nothing here prints or prompts; the CLI collects answers and shows results.
"""

from __future__ import annotations

import shutil
import tempfile
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator, Mapping

from platctl import __version__
from platctl.errors import UserError
from platctl.safewrite import staging_dir
from platctl.scaffold.answers import check_service_name, render_context, resolve_answers, secret_names
from platctl.scaffold.catalog import GoldenPath, default_golden_path
from platctl.scaffold.collect import Ask, Confirm, Given, collect_answers
from platctl.scaffold.conditions import inapplicable
from platctl.scaffold.gitinit import commit_all, started_git
from platctl.scaffold.record import RECORD_NAME, Record, read_record, write_record
from platctl.scaffold.render import list_files, publish, render_tree
from platctl.scaffold.source import Source, open_golden_path, parse_source


@dataclass(frozen=True)
class NewServiceRequest:
    name: str
    golden_path: str = ""  # a bundled name, a directory or a git source; empty: the bundle's default
    answers: Mapping[str, Any] = field(default_factory=dict)
    output_dir: Path = Path(".")
    git: bool = True
    dry_run: bool = False
    ref: str | None = None
    directory: str | None = None
    offline: bool = False
    trust: bool = False
    given: tuple[Given, ...] = ()  # sources of answers above ``answers``, highest first
    ask: Ask | None = None  # asks a person for what no source answers
    confirm: Confirm | None = None  # shows a person the summary; declining writes nothing


@dataclass(frozen=True)
class ScaffoldResult:
    path: Path
    golden_path: GoldenPath
    answers: dict[str, Any]
    files: tuple[str, ...]
    commit: str | None = None
    dry_run: bool = False


def new_service(request: NewServiceRequest) -> ScaffoldResult:
    """Fetch the golden path, then create the service from it."""
    check_service_name(request.name)
    source = parse_source(request.golden_path or default_golden_path(), request.directory)
    with open_golden_path(source, request.ref, request.offline, request.trust) as golden_path:
        return create_service(golden_path, request)


def create_service(golden_path: GoldenPath, request: NewServiceRequest) -> ScaffoldResult:
    """Validate everything, render into staging, record, commit, then move into place."""
    check_service_name(request.name)
    sources = (*request.given, Given("the answers", request.answers))
    name = Given("the service name", {"service_name": request.name})
    answers = collect_answers(golden_path, sources, request.ask, fixed=name, confirm=request.confirm)
    output_dir = request.output_dir.expanduser().absolute()
    target = output_dir / _directory_name(golden_path, request.name, answers)
    _check_target(target)
    created = _make_output_dir(output_dir)
    try:
        return _render_service(request, golden_path, answers, target)
    finally:
        _remove_if_empty(created)


def _render_service(
    request: NewServiceRequest, golden_path: GoldenPath, answers: dict[str, Any], target: Path
) -> ScaffoldResult:
    wants_git = request.git and not request.dry_run
    with staging_dir(target.parent) as staging, started_git(staging, wants_git) as git:  # git init runs meanwhile
        project = render_tree(golden_path, render_context(golden_path, answers), staging, target.parent)
        write_record(project, record_for(golden_path, answers))
        files = tuple(list_files(project))
        if request.dry_run:
            return ScaffoldResult(target, golden_path, answers, files, dry_run=True)
        commit = commit_all(git, project, _commit_message(golden_path, request.name)) if git else None
        _check_target(target)
        publish(project, target)
    return ScaffoldResult(target, golden_path, answers, files, commit=commit)


def record_for(golden_path: GoldenPath, answers: Mapping[str, Any]) -> Record:
    """What ``.platctl.yaml`` records: every answer but secrets, values built from a secret,
    and variables that do not apply."""
    hidden = secret_names(golden_path, answers) | inapplicable(golden_path, render_context(golden_path, answers))
    public = {v.name: answers[v.name] for v in golden_path.variables if v.name not in hidden}
    return Record(
        name=golden_path.name,
        source=golden_path.source,
        version=golden_path.version,
        answers=public,
        commit=golden_path.commit,
    )


def _directory_name(golden_path: GoldenPath, name: str, answers: Mapping[str, Any]) -> str:
    """The directory the template renders: its rendered ``{{cookiecutter.…}}`` folder name."""
    if golden_path.variable("service_name") is None:
        return name
    from platctl.scaffold.generate import project_folder
    from platctl.scaffold.sandbox import environment, guarded

    folder = project_folder(golden_path).name
    env = environment(golden_path.context, golden_path.trusted)
    rendered = guarded(
        golden_path.source, "the service folder's name", lambda: env.from_string(folder).render(cookiecutter=answers)
    )
    if not rendered or "/" in rendered or rendered in (".", ".."):
        raise UserError(f"the golden path's folder name renders to {rendered!r}; choose other answers")
    return rendered


def _check_target(target: Path) -> None:
    if target.is_symlink() or target.is_file():
        raise UserError(f"{target} already exists and is not a directory: choose another name or --output-dir")
    if target.is_dir() and any(target.iterdir()):
        raise UserError(f"{target} already exists and is not empty: choose another name or --output-dir")


def _make_output_dir(output_dir: Path) -> list[Path]:
    """Create missing output directories; return them (outermost first) so they can be removed again.

    Staging needs a place on the target's filesystem even for ``--dry-run``; the
    directories made are removed again when they stay empty.
    """
    missing = [p for p in (output_dir, *output_dir.parents) if not p.exists()]
    if output_dir.exists() and not output_dir.is_dir():
        raise UserError(f"--output-dir {output_dir} is not a directory")
    created: list[Path] = []
    for path in reversed(missing):
        try:
            path.mkdir()
        except OSError as error:
            _remove_if_empty(created)
            raise UserError(f"cannot create --output-dir {output_dir}: {error.strerror}") from None
        created.append(path)
    return created


def _remove_if_empty(created: list[Path]) -> None:
    for path in reversed(created):
        try:
            path.rmdir()
        except OSError:
            return


def _commit_message(golden_path: GoldenPath, name: str) -> str:
    return (
        f"Create {name} from golden path {golden_path.name} {golden_path.version}\n\n"
        f"Generated by platctl {__version__} from {golden_path.source}.\n"
        f"The answers are recorded in {RECORD_NAME}.\n"
    )


def recorded_ref(record: Record) -> str | None:
    """The exact ref to re-render a record: its commit for git, else its version."""
    return record.commit or record.version or None


@contextmanager
def render_golden_path(
    golden_path: GoldenPath, answers: Mapping[str, Any], service_dir: Path, cache: bool = True
) -> Iterator[Path]:
    """A render of the golden path with resolved answers, with its ``.platctl.yaml``; read it, do not change it.

    ``service_dir`` is where the service lives; templates see its parent as
    ``_output_dir``, exactly as when the service was first made. Renders are
    cached (``platctl.scaffold.render_cache``) unless ``cache`` is false.
    """
    from platctl.scaffold import render_cache

    output_dir = service_dir.absolute().parent
    cache = cache and not any(answers.get(v.name) for v in golden_path.variables if v.secret)  # never keep a secret
    key = render_cache.render_key(golden_path, answers, output_dir) if cache else None
    hit = render_cache.cached(key) if key else None
    if hit is not None:
        yield hit
        return

    def render(into: Path) -> Path:
        project = render_tree(golden_path, render_context(golden_path, answers), into, output_dir)
        write_record(project, record_for(golden_path, answers))
        return project

    stored = render_cache.store(key, render) if key else None
    if stored is not None:
        yield stored
        return
    tmp = Path(tempfile.mkdtemp(prefix="platctl-render-"))
    try:
        yield render(tmp)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


@dataclass(frozen=True)
class Recorded:
    """A service's record with its golden path checked out at the recorded version."""

    record: Record
    source: Source
    golden_path: GoldenPath
    answers: dict[str, Any]


@contextmanager
def open_recorded(service_dir: Path, offline: bool = True, trust: bool = False) -> Iterator[Recorded]:
    """Check out the golden path a service records, at exactly the recorded version."""
    record = read_record(service_dir)
    source = parse_source(record.source)
    with open_golden_path(source, recorded_ref(record), offline, trust) as golden_path:
        answers = resolve_answers(golden_path, record.answers)
        yield Recorded(record, source, golden_path, answers)


@contextmanager
def render_from_record(service_dir: Path, offline: bool = True, trust: bool = False) -> Iterator[Path]:
    """Re-render a service exactly as its ``.platctl.yaml`` records it, into a temporary directory.

    Yields the rendered service directory (including ``.platctl.yaml``), to read only.
    """
    with (
        open_recorded(service_dir, offline, trust) as recorded,
        render_golden_path(recorded.golden_path, recorded.answers, service_dir) as project,
    ):
        yield project
