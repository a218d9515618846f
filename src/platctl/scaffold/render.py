"""Render a golden path with cookiecutter, refusing anything unsafe before a file is written.

The caller renders into a staging directory (``platctl.safewrite``) and moves
the finished tree into place with ``publish``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Mapping

from platctl.errors import TemplateError, UnsafeTemplateError, UserError
from platctl.scaffold.catalog import GoldenPath
from platctl.scaffold.generate import generate, is_git_name


def render_tree(golden_path: GoldenPath, context: Mapping[str, Any], into: Path, output_dir: Path) -> Path:
    """Render the template with a fully resolved context into ``into``; return the project dir.

    Every template renders in platctl's sandbox (``platctl.scaffold.generate``);
    only a trusted template with cookiecutter hooks goes through cookiecutter
    itself, because its hooks are Python the user agreed to run.
    """
    full = dict(context)
    full.update(
        _template=golden_path.source,
        _output_dir=str(output_dir.resolve()),
        _repo_dir=str(golden_path.template_dir),
        _checkout=None,
    )
    refuse_untrusted_code(golden_path)
    check_template_links(golden_path)
    if golden_path.trusted and (golden_path.template_dir / "hooks").is_dir():
        project_dir = _render_with_hooks(golden_path, full, into)
    else:
        try:
            project_dir = generate(golden_path, full, into)
        except OSError as error:
            raise TemplateError(f"golden path {golden_path.name} could not be written: {error.strerror}") from None
    _check_inside(project_dir.resolve(), into.resolve())
    _prune_empty_dirs(project_dir)
    return project_dir


def _render_with_hooks(golden_path: GoldenPath, context: dict[str, Any], into: Path) -> Path:
    """cookiecutter's own generation, for a trusted template whose hooks must run."""
    from cookiecutter.exceptions import CookiecutterException, UndefinedVariableInTemplate
    from cookiecutter.generate import generate_files
    from jinja2 import TemplateError as JinjaError

    try:
        project = generate_files(
            repo_dir=str(golden_path.template_dir), context={"cookiecutter": context}, output_dir=str(into)
        )
    except UndefinedVariableInTemplate as error:
        detail = getattr(error.error, "message", None) or str(error.error)
        raise TemplateError(f"golden path {golden_path.name} failed to render: {error.message}: {detail}") from None
    except (CookiecutterException, JinjaError, OSError) as error:
        raise TemplateError(f"golden path {golden_path.name} failed to render: {error}") from None
    return Path(project).resolve()


def _prune_empty_dirs(project_dir: Path) -> None:
    """Remove folders a choice left empty (a file whose name rendered empty is skipped, its folder stays).

    git cannot hold an empty folder, so a template cannot mean one.
    """
    for dirpath, dirnames, filenames in os.walk(project_dir, topdown=False):
        empty = not filenames and (not dirnames and Path(dirpath) != project_dir or not any(os.scandir(dirpath)))
        if empty:
            os.rmdir(dirpath)


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


def check_template_links(golden_path: GoldenPath) -> None:
    """Refuse, before anything is written, a template with a link out of itself."""
    root = golden_path.template_dir.resolve()
    for dirpath, dirnames, filenames in os.walk(root):
        for name in dirnames + filenames:
            path = Path(dirpath) / name
            if path.is_symlink() and root not in (path.parent / os.readlink(path)).resolve().parents:
                rel = path.relative_to(root).as_posix()
                raise UnsafeTemplateError(f"golden path {golden_path.source} links out of the template: {rel}")


def _check_inside(project_dir: Path, root: Path) -> None:
    """Refuse a render that placed anything outside the staging root or links out of it."""
    if root not in project_dir.parents:
        raise UnsafeTemplateError(f"the template's directory name renders outside the target: {project_dir.name}")
    for path in project_dir.rglob("*"):
        if is_git_name(path.name):
            raise UnsafeTemplateError(f"the template writes a .git entry: {path.relative_to(project_dir)}")
        if path.is_symlink():
            target = (path.parent / os.readlink(path)).resolve()
            if project_dir not in target.parents and target != project_dir:
                raise UnsafeTemplateError(
                    f"the template has a link out of the service: {path.relative_to(project_dir)}"
                )


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
