"""Build the work every tool is measured on, under ``bench/.work/run`` (made anew each run).

* the bundled python-service template, converted for copier (same content);
* a two-tag git template (v1.0.0, v2.0.0) in cookiecutter form for platctl and
  cruft, and the same two tags converted for copier;
* one project per tool made from v1.0.0, each in its own git repository, with
  the same committed local edit;
* a fresh generated service, a synthetic 20,000-file repository and 200 services.

Every fixture that doctor reads is its own git repository: ``bench/.work`` sits
inside platctl's repository, which ignores it, so a plain directory there would
list as empty.
"""

from __future__ import annotations

import json
import os
import re
import shutil
from pathlib import Path
from typing import Any, Callable, Mapping

from measure import run_checked

REPO = Path(__file__).resolve().parent.parent
BUNDLED = REPO / "golden_paths" / "python-service"
SERVICE = "bench-svc"
SERVICE_DIR = "{{cookiecutter.service_name}}"
COOKIECUTTER_REF = re.compile(r"\bcookiecutter\.(?=[A-Za-z_])")
V2_MARK = "STOPSIGNAL SIGTERM"
LOCAL_EDIT = ("# Build stage: install exactly", "# Build stage (edited by the team): install exactly")
EXTENDS_BLOCK = re.compile(r"(?m)^extends:[^\n]*\n(?:[ \t]+[^\n]*\n|[ \t]*-[^\n]*\n)*")
GIT_IDENTITY = ("-c", "user.name=bench", "-c", "user.email=bench@example.com", "-c", "commit.gpgsign=false")


# -- environment --------------------------------------------------------------
def bench_env(run_dir: Path) -> dict[str, str]:
    """One environment for every tool: a private HOME and cache, git identity, no colours."""
    home = run_dir / "home"
    (home / ".cache").mkdir(parents=True, exist_ok=True)
    (home / ".gitconfig").write_text(
        "[user]\n\tname = bench\n\temail = bench@example.com\n[init]\n\tdefaultBranch = main\n"
        "[commit]\n\tgpgsign = false\n[advice]\n\tdetachedHead = false\n"
    )
    env = {k: v for k, v in os.environ.items() if k not in {"VIRTUAL_ENV", "PYTHONPATH", "GIT_DIR", "GIT_WORK_TREE"}}
    env.update(HOME=str(home), XDG_CACHE_HOME=str(home / ".cache"), XDG_CONFIG_HOME=str(home / ".config"),
               NO_COLOR="1", TERM="dumb", GIT_CONFIG_NOSYSTEM="1", PYTHONWARNINGS="ignore")
    return env


# -- git helpers ----------------------------------------------------------------
def git(cwd: Path, *args: str) -> str:
    return run_checked(["git", *GIT_IDENTITY, *args], cwd)


def git_commit_all(cwd: Path, message: str) -> None:
    if not (cwd / ".git").exists():
        git(cwd, "init", "-q", "-b", "main")
    git(cwd, "add", "-A")
    git(cwd, "commit", "-q", "--no-verify", "-m", message)


def git_reset(cwd: Path) -> None:
    """Back to the committed state: undo an upgrade or update, drop what it added."""
    git(cwd, "reset", "-q", "--hard", "HEAD")
    git(cwd, "clean", "-q", "-fdx")


# -- templates ------------------------------------------------------------------
def copy_bundled(dest: Path) -> Path:
    """A snapshot of the bundled template as one plain cookiecutter template.

    A golden path may ``extends:`` shared layers (golden-path.yaml); cookiecutter,
    cruft and copier know nothing of layers, so the layers are copied first and
    the golden path's own files over them, and ``extends`` is dropped from the
    manifest. The scaffold scenario checks that the result renders the same
    files as platctl.
    """
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "releases")
    for layer in [*_layers(BUNDLED), BUNDLED]:
        shutil.copytree(layer, dest, ignore=ignore, dirs_exist_ok=True)
    manifest = dest / "golden-path.yaml"
    if manifest.exists():
        manifest.write_text(EXTENDS_BLOCK.sub("", manifest.read_text()))
    return dest


def _layers(template: Path) -> list[Path]:
    manifest = template / "golden-path.yaml"
    if not manifest.exists():
        return []
    import yaml

    data = yaml.safe_load(manifest.read_text()) or {}
    layers = [(template / str(layer)).resolve() for layer in data.get("extends") or ()]
    return [deeper for layer in layers for deeper in [*_layers(layer), layer]]


def to_copier(cookiecutter_template: Path, dest: Path) -> Path:
    """The same template for copier: copier.yml from cookiecutter.json, ``cookiecutter.x`` -> ``x``.

    Files stay as they are apart from that rename: every file is a template
    (``_templates_suffix: ""``), the service tree is ``_subdirectory``, the shared
    macros (slo.jinja) sit at the template root where copier's loader finds them,
    and one answers file is added because ``copier update`` needs it.
    """
    if dest.exists():
        for child in dest.iterdir():
            if child.name != ".git":
                shutil.rmtree(child) if child.is_dir() else child.unlink()
    dest.mkdir(parents=True, exist_ok=True)
    context = json.loads((cookiecutter_template / "cookiecutter.json").read_text())
    (dest / "copier.yml").write_text(_copier_yml(context))
    if (cookiecutter_template / "templates").is_dir():
        _convert_tree(cookiecutter_template / "templates", dest)
    _convert_tree(cookiecutter_template / SERVICE_DIR, dest / "template")
    (dest / "template" / "{{_copier_conf.answers_file}}").write_text(
        "# Changes here will be overwritten by Copier\n{{ _copier_answers|to_nice_yaml -}}\n"
    )
    return dest


def _copier_yml(context: Mapping[str, Any]) -> str:
    lines = ["_subdirectory: template", '_templates_suffix: ""', "_envops:", "  keep_trailing_newline: true", ""]
    for key, value in context.items():
        name = key.lstrip("_")
        lines.append(f"{name}:")
        lines.append("  type: str")
        if isinstance(value, list):
            lines.append(f"  default: {json.dumps(value[0])}")
            lines.append(f"  choices: {json.dumps(value)}")
        else:
            lines.append(f"  default: {json.dumps(_convert(str(value)))}")
        if key.startswith("__"):
            lines.append("  when: false")
    return "\n".join(lines) + "\n"


def _convert(text: str) -> str:
    # ``cookiecutter['name_' ~ env]`` (a name built at render time) reads copier's answers mapping instead
    text = text.replace("cookiecutter[", "_copier_answers[")
    return COOKIECUTTER_REF.sub("", text.replace("cookiecutter.__", "cookiecutter."))


def _convert_tree(src: Path, dest: Path) -> None:
    copy_transformed(src, dest, _convert)


def copy_transformed(src: Path, dest: Path, transform: Callable[[str], str]) -> None:
    """Copy a tree (without .git), passing every path and every text file through ``transform``."""
    for path in sorted(src.rglob("*")):
        rel = path.relative_to(src)
        if rel.parts[0] == ".git":
            continue
        target = dest / transform(str(rel))
        if path.is_dir():
            target.mkdir(parents=True, exist_ok=True)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        data = path.read_bytes()
        try:
            target.write_text(transform(data.decode("utf-8")))
        except UnicodeDecodeError:
            target.write_bytes(data)
        shutil.copymode(path, target)


def apply_v2_change(template: Path) -> None:
    """The upstream change between v1.0.0 and v2.0.0: two managed files and the manifest."""
    dockerfile = template / SERVICE_DIR / "Dockerfile"
    text = dockerfile.read_text()
    line = "EXPOSE {{ cookiecutter.port }}\n"
    if line not in text:
        raise RuntimeError(f"{dockerfile} has no {line.strip()!r} line to change for v2.0.0")
    dockerfile.write_text(text.replace(line, line + V2_MARK + "\n", 1))
    with (template / SERVICE_DIR / ".dockerignore").open("a") as out:
        out.write("**/.pytest_cache\n")
    manifest = template / "golden-path.yaml"
    if manifest.exists():
        manifest.write_text(re.sub(r"(?m)^version: .*$", "version: 2.0.0", manifest.read_text(), count=1))


def two_tag_repos(work: Path) -> tuple[Path, Path]:
    """The cookiecutter-form and copier-form git templates, each tagged v1.0.0 and v2.0.0."""
    cc_repo = copy_bundled(work / "gp-repo")
    cp_repo = work / "copier-repo"
    to_copier(cc_repo, cp_repo)
    for repo in (cc_repo, cp_repo):
        git_commit_all(repo, "python-service 1.0.0")
        git(repo, "tag", "v1.0.0")
    apply_v2_change(cc_repo)
    to_copier(cc_repo, cp_repo)
    for repo in (cc_repo, cp_repo):
        git_commit_all(repo, "python-service 2.0.0")
        git(repo, "tag", "v2.0.0")
    return cc_repo, cp_repo


def local_edit(project: Path) -> None:
    """The same team edit in each project, committed: drift for diff, a clean merge for upgrade."""
    dockerfile = project / "Dockerfile"
    old, new = LOCAL_EDIT
    text = dockerfile.read_text()
    if old not in text:
        raise RuntimeError(f"{dockerfile} has no line {old!r} to edit")
    dockerfile.write_text(text.replace(old, new, 1))
    git_commit_all(project, "team edit")


def upgraded(project: Path) -> str | None:
    """None if the project holds both the v2.0.0 change and the team edit, else what is wrong."""
    text = (project / "Dockerfile").read_text()
    if V2_MARK not in text:
        return f"{project}/Dockerfile lacks the v2.0.0 change"
    if LOCAL_EDIT[1] not in text:
        return f"{project}/Dockerfile lost the team edit"
    if "<<<<<<<" in text:
        return f"{project}/Dockerfile has conflict markers"
    return None


# -- generated trees ------------------------------------------------------------
def rename_copy(src: Path, dest: Path, name: str) -> None:
    """Copy a rendered service (no .git), renaming bench-svc / bench_svc in paths and text."""
    pairs = ((SERVICE, name), (SERVICE.replace("-", "_"), name.replace("-", "_")))

    def swap(text: str) -> str:
        for old, new in pairs:
            text = text.replace(old, new)
        return text

    copy_transformed(src, dest, swap)


def many_services(rendered: Path, dest: Path, count: int) -> list[Path]:
    """``count`` services, each its own git repository with one commit."""
    services = []
    for index in range(count):
        service = dest / f"svc-{index:03d}"
        rename_copy(rendered, service, f"svc-{index:03d}")
        git_commit_all(service, "init")
        services.append(service)
    return services


SOURCE_KINDS = (
    (".py", "def handler_{n}(event: dict) -> dict:\n    return {{'id': {n}, 'ok': True}}\n"),
    (".ts", "export function handler{n}(x: number): number {{\n  return x + {n};\n}}\n"),
    (".md", "# Note {n}\n\nGenerated for the platctl benchmark.\n"),
    (".json", '{{"id": {n}, "name": "item-{n}"}}\n'),
)


def synthetic_repo(rendered: Path, dest: Path, tracked: int = 20_000, ignored: int = 5_000) -> int:
    """A monorepo: a few services, then small source files to ``tracked``, plus ignored build output."""
    for letter in "abcde":
        rename_copy(rendered, dest / "services" / f"svc-{letter}", f"svc-{letter}")
    (dest / ".gitignore").write_text("build/\n*.o\n")
    (dest / "README.md").write_text("# monorepo\n")
    count = sum(1 for p in dest.rglob("*") if p.is_file())
    for n in range(tracked - count):
        ext, body = SOURCE_KINDS[n % len(SOURCE_KINDS)]
        folder = dest / "libs" / f"pkg{n // 2000:02d}" / f"mod{(n // 100) % 20:02d}" / f"sub{(n // 20) % 5}"
        path = folder / f"f{n:05d}{ext}"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(body.format(n=n))
    for n in range(ignored):
        path = dest / "build" / f"out{n // 500:02d}" / f"obj{n:05d}.o"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"\x7fELF" + n.to_bytes(4, "little") * 16)
    git_commit_all(dest, "synthetic monorepo")
    return int(git(dest, "ls-files").count("\n"))


def count_files(root: Path) -> int:
    return sum(1 for p in root.rglob("*") if p.is_file() and ".git" not in p.relative_to(root).parts)


def compare_trees(a: Path, b: Path, ignore: frozenset[str] = frozenset()) -> list[str]:
    """Files that differ between two renders (missing on one side, or other bytes), ignoring ``ignore``."""
    def files(root: Path) -> dict[str, bytes]:
        return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*")
                if p.is_file() and ".git" not in p.relative_to(root).parts}

    left, right = files(a), files(b)
    names = (set(left) | set(right)) - ignore
    return sorted(n for n in names if left.get(n) != right.get(n))
