"""Render a golden path with cookiecutter, refusing anything unsafe before a file is written.

The caller renders into a staging directory (``platctl.safewrite``) and moves
the finished tree into place with ``publish``.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Iterator, Mapping

from platctl.errors import TemplateError, UnsafeTemplateError, UserError
from platctl.scaffold.catalog import GoldenPath

def render_tree(golden_path: GoldenPath, context: Mapping[str, Any], into: Path, output_dir: Path) -> Path:
    """Render the template with a fully resolved context into ``into``; return the project dir."""
    from cookiecutter.exceptions import CookiecutterException, UndefinedVariableInTemplate
    from cookiecutter.generate import generate_files
    from jinja2 import TemplateError as JinjaError

    full = dict(context)
    full.update(
        _template=golden_path.source,
        _output_dir=str(output_dir.resolve()),
        _repo_dir=str(golden_path.template_dir),
        _checkout=None,
    )
    refuse_untrusted_code(golden_path)
    check_template_paths(golden_path, full)
    try:
        with _cached_jinja():
            project = generate_files(
                repo_dir=str(golden_path.template_dir),
                context={"cookiecutter": full},
                output_dir=str(into),
                accept_hooks=golden_path.trusted,
            )
    except UndefinedVariableInTemplate as error:
        detail = getattr(error.error, "message", None) or str(error.error)
        raise TemplateError(f"golden path {golden_path.name} failed to render: {error.message}: {detail}") from None
    except (CookiecutterException, JinjaError, OSError) as error:
        raise TemplateError(f"golden path {golden_path.name} failed to render: {error}") from None
    project_dir = Path(project).resolve()
    _check_inside(project_dir, into.resolve())
    _prune_empty_dirs(project_dir)
    return project_dir


def _prune_empty_dirs(project_dir: Path) -> None:
    """Remove folders a choice left empty (a file whose name rendered empty is skipped, its folder stays).

    git cannot hold an empty folder, so a template cannot mean one.
    """
    for dirpath, dirnames, filenames in os.walk(project_dir, topdown=False):
        if not dirnames and not filenames and Path(dirpath) != project_dir:
            os.rmdir(dirpath)
        elif dirnames and not filenames and not any(os.scandir(dirpath)):
            os.rmdir(dirpath)


@contextmanager
def _cached_jinja() -> Iterator[None]:
    """Give cookiecutter's Jinja environment a bytecode cache in the user cache directory.

    Compiling a golden path's ~60 templates is most of a render's time; the
    cache is keyed by each template's name and source checksum, so a changed
    template is compiled again. Without a writable cache directory, nothing changes.
    """
    import cookiecutter.generate as generate
    from jinja2 import FileSystemBytecodeCache

    directory = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "platctl" / "jinja"
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError:
        yield
        return
    original = generate.create_env_with_context

    def with_cache(context: Any) -> Any:
        env = original(context)
        env.bytecode_cache = FileSystemBytecodeCache(str(directory))
        return env

    generate.create_env_with_context = with_cache
    try:
        yield
    finally:
        generate.create_env_with_context = original


def refuse_untrusted_code(golden_path: GoldenPath) -> None:
    """Stop before a template from outside the bundle runs Python the user did not agree to."""
    if golden_path.trusted:
        return
    if golden_path.context.get("_extensions"):
        raise UnsafeTemplateError(
            f"golden path {golden_path.source} loads Jinja extensions (_extensions); "
            "platctl runs template code from outside the bundle only with --trust"
        )
    if (golden_path.template_dir / "hooks").is_dir():
        raise UnsafeTemplateError(
            f"golden path {golden_path.source} has cookiecutter hooks; "
            "platctl runs template code from outside the bundle only with --trust"
        )


def check_template_paths(golden_path: GoldenPath, context: Mapping[str, Any]) -> None:
    """Refuse, before anything is written, names that render outside the service or links out of the template."""
    from jinja2 import Environment

    env = Environment(keep_trailing_newline=True)
    root = golden_path.template_dir.resolve()
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            path = Path(dirpath) / name
            rel = path.relative_to(root).as_posix()
            if path.is_symlink() and root not in (path.parent / os.readlink(path)).resolve().parents:
                raise UnsafeTemplateError(f"golden path {golden_path.source} links out of the template: {rel}")
            top, _, inner = rel.partition("/")
            if "cookiecutter" in top and ("{" in inner or ".." in inner.split("/")):
                _check_rendered_name(golden_path, env, inner, context)


def _check_rendered_name(golden_path: GoldenPath, env: Any, inner: str, context: Mapping[str, Any]) -> None:
    """Cookiecutter renders each path below the service folder and joins it to the service directory."""
    try:
        rendered = env.from_string(inner).render(cookiecutter=context)
    except Exception:  # noqa: BLE001 - cookiecutter reports render errors itself, with context
        return
    if not rendered.startswith("/") and not _climbs_out(rendered):
        return
    rel = inner
    raise UnsafeTemplateError(f"golden path {golden_path.source} names a file outside the service: {rel!r} renders to {rendered!r}")


def _climbs_out(rendered: str) -> bool:
    """Whether a path relative to the service directory leaves it at any point."""
    depth = 0
    for part in rendered.split("/"):
        depth += -1 if part == ".." else (0 if part in ("", ".") else 1)
        if depth < 0:
            return True
    return False


def _check_inside(project_dir: Path, root: Path) -> None:
    """Refuse a render that placed anything outside the staging root or links out of it."""
    if root not in project_dir.parents:
        raise UnsafeTemplateError(f"the template's directory name renders outside the target: {project_dir.name}")
    for path in project_dir.rglob("*"):
        if path.is_symlink():
            target = (path.parent / os.readlink(path)).resolve()
            if project_dir not in target.parents and target != project_dir:
                raise UnsafeTemplateError(f"the template has a link out of the service: {path.relative_to(project_dir)}")


def publish(staged: Path, target: Path) -> None:
    """Move a complete tree into place; the target must not exist or be an empty directory."""
    try:
        os.rename(staged, target)
    except OSError as error:
        raise UserError(f"cannot create {target}: {error.strerror}") from None


def list_files(root: Path) -> list[str]:
    """Every file under ``root`` (relative, POSIX style), without the git directory."""
    files: list[str] = []
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if d != ".git")
        base = Path(dirpath).relative_to(root)
        files.extend((base / name).as_posix() for name in sorted(filenames))
    return files
