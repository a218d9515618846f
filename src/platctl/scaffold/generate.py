"""Write a template's files: cookiecutter's layout and output, rendered in platctl's sandbox.

The layout is cookiecutter's: one ``{{cookiecutter.…}}`` folder whose names and
contents are templates, partials in ``templates/``, ``_copy_without_render``
globs, binary files copied as they are, each file's line endings and mode kept.
What differs is where safety is checked: every name renders in the same
sandboxed environment as the contents (``platctl.scaffold.sandbox``), a name that
fails to render is a refusal, and every output path is checked before it is
written: relative, no ``..``, no ``.git`` component (in any case), inside the
service. Nothing is written outside ``into``.
"""

from __future__ import annotations

import fnmatch
import hashlib
import os
import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Mapping, TypeVar

from platctl.errors import TemplateError, UnsafeTemplateError
from platctl.scaffold.catalog import BUNDLED_PREFIX, GoldenPath
from platctl.scaffold.sandbox import environment, guarded, identity

if TYPE_CHECKING:
    from jinja2 import Environment

T = TypeVar("T")
NAME_MAX = 255  # bytes in one file name on Linux and macOS file systems


class _Renderer:
    """Renders names and files of one golden path with one context; every failure names its place."""

    def __init__(self, golden_path: GoldenPath, context: Mapping[str, Any], folder: Path) -> None:
        self.golden_path = golden_path
        self.context = {"cookiecutter": dict(context)}
        search = (folder, golden_path.template_dir / "templates")
        self.env: Environment = environment(context, golden_path.trusted, search)
        self.plain_names = not context.get("_jinja2_env_vars")  # default delimiters: a name without '{' is plain
        if golden_path.source.startswith(BUNDLED_PREFIX):
            _use_bytecode_cache(self.env, context, golden_path.name)

    def name(self, template: str) -> str:
        """A rendered path (relative, POSIX); a render error refuses the template."""
        if self.plain_names and "{" not in template:
            return template  # nothing to render: most names of a template are plain
        return self._guard(f"the name {template!r}", lambda: self.env.from_string(template).render(self.context))

    def text(self, rel: str) -> str:
        return self._guard(rel, lambda: self.env.get_template(rel).render(self.context))

    def _guard(self, where: str, render: Callable[[], T]) -> T:
        return guarded(self.golden_path.source, where, render)


def generate(golden_path: GoldenPath, context: Mapping[str, Any], into: Path) -> Path:
    """Render the template into ``into`` (an empty staging directory); return the service directory."""
    folder = project_folder(golden_path)
    renderer = _Renderer(golden_path, context, folder)
    project = into / _component(golden_path, renderer.name(folder.name))
    project.mkdir()
    copy_only = tuple(str(g) for g in context.get("_copy_without_render") or ())
    for root, dirs, files in os.walk(folder):
        here = Path(root).relative_to(folder)
        dirs.sort()
        for folder_name in [d for d in dirs if _copy_only(here / d, copy_only)]:
            dirs.remove(folder_name)
            _copy_tree(renderer, Path(root) / folder_name, project, renderer.name(_posix(here / folder_name)))
        for folder_name in dirs:
            _make_dir(renderer, project, renderer.name(_posix(here / folder_name)))
        for file_name in sorted(files):
            rel = here / file_name
            _write_file(renderer, Path(root) / file_name, project, _posix(rel), _copy_only(rel, copy_only))
    return project


def project_folder(golden_path: GoldenPath) -> Path:
    """The one ``{{cookiecutter.…}}`` folder of the template."""
    root = golden_path.template_dir
    folders = sorted(p for p in root.iterdir() if "cookiecutter" in p.name and "{{" in p.name and "}}" in p.name)
    if len(folders) != 1 or not folders[0].is_dir():
        raise TemplateError(f"golden path {golden_path.source} needs exactly one {{{{cookiecutter.…}}}} directory")
    return folders[0]


def _component(golden_path: GoldenPath, rendered: str) -> str:
    if not rendered or "/" in rendered or "\0" in rendered or rendered in (".", "..") or is_git_name(rendered):
        raise UnsafeTemplateError(
            f"golden path {golden_path.source}: the service folder's name renders to {rendered!r}"
        )
    return rendered


def safe_output(golden_path: GoldenPath, project: Path, rendered: str) -> Path | None:
    """Where a rendered relative path lands inside ``project``; None for an empty name (skipped)."""
    if rendered.startswith("/") or "\0" in rendered:
        raise UnsafeTemplateError(f"golden path {golden_path.source} names a file outside the service: {rendered!r}")
    parts = [p for p in rendered.split("/") if p not in ("", ".")]
    if ".." in parts:
        raise UnsafeTemplateError(f"golden path {golden_path.source} names a file outside the service: {rendered!r}")
    if any(len(p.encode("utf-8", "surrogateescape")) > NAME_MAX for p in parts):
        raise TemplateError(f"golden path {golden_path.source} renders a file name longer than {NAME_MAX} bytes")
    if any(is_git_name(p) for p in parts):
        raise UnsafeTemplateError(f"golden path {golden_path.source} writes into a .git directory: {rendered!r}")
    if not parts or rendered.endswith("/"):
        return None
    path = project.joinpath(*parts)
    real_parent = os.path.realpath(path.parent)
    if real_parent != str(project) and not real_parent.startswith(str(project) + os.sep):
        raise UnsafeTemplateError(f"golden path {golden_path.source} writes outside the service: {rendered!r}")
    return path


def is_git_name(part: str) -> bool:
    """``.git`` as git itself compares it: any case, with trailing dots or spaces ignored."""
    return part.casefold().rstrip(". ") == ".git"


def _copy_only(rel: Path, patterns: tuple[str, ...]) -> bool:
    return any(fnmatch.fnmatch(rel.as_posix(), p) for p in patterns)


def _posix(rel: Path) -> str:
    return rel.as_posix()


def _make_dir(renderer: _Renderer, project: Path, rendered: str) -> None:
    path = safe_output(renderer.golden_path, project, rendered + "/x")
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)


def _write_file(renderer: _Renderer, infile: Path, project: Path, rel: str, copy_only: bool) -> None:
    outfile = safe_output(renderer.golden_path, project, renderer.name(rel))
    if outfile is None or outfile.is_dir():
        return
    outfile.parent.mkdir(parents=True, exist_ok=True)
    if copy_only or _is_binary(infile):
        shutil.copyfile(infile, outfile)
    else:
        text = renderer.text(rel)
        with open(outfile, "w", encoding="utf-8", newline=_newline(renderer.context, infile)) as out:
            out.write(text)
    shutil.copymode(infile, outfile)


_PLAIN_TEXT = frozenset(range(0x20, 0x7F)) | {0x09, 0x0A, 0x0C, 0x0D}


def _is_binary(path: Path) -> bool:
    """cookiecutter's test (binaryornot), skipped for the common case it always calls text: plain ASCII."""
    with open(path, "rb") as handle:
        head = handle.read(1024)
    if _PLAIN_TEXT.issuperset(head):
        return False
    from binaryornot.check import is_binary

    return bool(is_binary(str(path)))


def _copy_tree(renderer: _Renderer, indir: Path, project: Path, rendered: str) -> None:
    """A ``_copy_without_render`` folder: its own name renders, what is inside is copied as it is."""
    for root, _dirs, files in os.walk(indir):
        for name in sorted(files):
            infile = Path(root) / name
            inner = infile.relative_to(indir).as_posix()
            outfile = safe_output(renderer.golden_path, project, f"{rendered}/{inner}")
            if outfile is not None:
                outfile.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(infile, outfile)
                shutil.copymode(infile, outfile)


def _newline(context: Mapping[str, Any], infile: Path) -> str | None:
    """``_new_lines`` when the template sets it, else the source file's first line ending (as cookiecutter does)."""
    configured = context["cookiecutter"].get("_new_lines")
    if configured:
        return str(configured)
    with open(infile, encoding="utf-8") as source:
        source.readline()
        found = source.newlines
    return found[0] if isinstance(found, tuple) else found


def _use_bytecode_cache(env: Environment, context: Mapping[str, Any], name: str) -> None:
    """Compiled templates of the bundled golden paths, cached per Jinja version and syntax options.

    Only bundled templates use it, in a directory only this user can write: a
    template from elsewhere can neither read nor poison what the bundle compiles.
    """
    from jinja2 import FileSystemBytecodeCache

    from platctl.cachedir import private_dir, user_cache_dir

    class ByName(FileSystemBytecodeCache):
        """Keyed by the template's name only: a composed golden path lives in a new temporary folder each time."""

        def get_cache_key(self, name: str, filename: str | None = None) -> str:
            return hashlib.sha1(name.encode("utf-8")).hexdigest()

    directory = private_dir(user_cache_dir("jinja", identity(context), name))
    if directory is not None:
        env.bytecode_cache = ByName(str(directory))
