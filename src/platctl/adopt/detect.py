"""What a repository already has, read before anything is written: services, language, package manager,
CI providers, its own build and test commands, and (through ``endpoints``) its port, probes and metrics.

The golden path's facts (its language markers, the files that mark each package
manager) come from its manifest; what is general knowledge about other tools (which
file is a Travis CI config, which marks a Go module) lives here.
"""

from __future__ import annotations

import posixpath
import re
from dataclasses import dataclass, field
from typing import Any

from platctl.adopt.tree import Tree
from platctl.scaffold.catalog import AdoptFacts, GoldenPath

CI_PROVIDERS = (
    ("GitHub Actions", ".github/workflows/*.yml"), ("GitHub Actions", ".github/workflows/*.yaml"),
    ("GitLab CI", ".gitlab-ci.yml"), ("Jenkins", "Jenkinsfile"), ("Travis CI", ".travis.yml"),
    ("CircleCI", ".circleci/config.yml"), ("Azure Pipelines", "azure-pipelines.yml"),
    ("Azure Pipelines", "azure-pipelines.yaml"), ("Bitbucket Pipelines", "bitbucket-pipelines.yml"),
)
OTHER_LANGUAGES = (
    ("go", "go.mod"), ("java", "pom.xml"), ("java", "build.gradle"), ("java", "build.gradle.kts"),
    ("rust", "Cargo.toml"), ("ruby", "Gemfile"), ("php", "composer.json"), ("dotnet", "*.csproj"),
)
DOCKERFILES = ("Dockerfile", "Containerfile")
COMPOSE_FILES = ("docker-compose.yml", "docker-compose.yaml", "compose.yml", "compose.yaml")
NPM_DEFAULT_TEST = "no test specified"


@dataclass(frozen=True)
class Fact:
    """A value read from the repository, and where it was read."""

    value: str
    source: str


@dataclass(frozen=True)
class ComposeService:
    name: str
    file: str
    spec: dict[str, Any]


@dataclass(frozen=True)
class Detection:
    """Everything ``adopt`` read about one service of a repository."""

    service_dir: str  # "" for the repository root
    language: str = ""
    package_manager: Fact | None = None
    ci: tuple[Fact, ...] = ()  # value: the provider, source: its file
    commands: dict[str, Fact] = field(default_factory=dict)  # "test", "lint"
    compose: ComposeService | None = None


def find_services(tree: Tree) -> list[str]:
    """The directories that are services: the root when it has a Dockerfile, else each compose build
    context, else each directory (two levels deep at most) holding a Dockerfile; the root when none."""
    if any(tree.has(d) for d in DOCKERFILES):
        return [""]
    contexts = sorted({s for s in (_context(c) for c in compose_services(tree)) if s})
    if contexts:
        return contexts
    nested = sorted({posixpath.dirname(f) for f in tree.files
                     if posixpath.basename(f) in DOCKERFILES and 1 <= f.count("/") <= 2})
    return nested or [""]


def compose_services(tree: Tree) -> list[ComposeService]:
    found = []
    names = [
        f
        for f in tree.files
        if "/" not in f and (f in COMPOSE_FILES or re.fullmatch(r"docker-compose\.[\w.-]+\.ya?ml", f))
    ]
    for name in sorted(names, key=lambda n: (n not in COMPOSE_FILES, n)):  # the main file before overrides
        for document in tree.yaml_documents(name)[:1]:
            services = document.get("services") if isinstance(document, dict) else None
            for key, spec in (services or {}).items() if isinstance(services, dict) else ():
                if isinstance(spec, dict):
                    found.append(ComposeService(str(key), name, spec))
    return found


def _context(service: ComposeService) -> str | None:
    """The directory a compose service builds from ("" for the root), or None when it builds nothing here."""
    build = service.spec.get("build")
    context = build.get("context") if isinstance(build, dict) else build
    if not isinstance(context, str):
        return None
    path = posixpath.normpath(context.strip() or ".")
    if path.startswith("..") or path.startswith("/"):
        return None
    return "" if path == "." else path


def detect(tree: Tree, service_dir: str, golden_path: GoldenPath, facts: AdoptFacts) -> Detection:
    own = service_dir
    manager = _package_manager(tree, own, facts)
    compose = next((c for c in compose_services(tree) if _context(c) == service_dir), None)
    return Detection(
        service_dir=service_dir,
        language=_language(tree, own, golden_path),
        package_manager=manager,
        ci=tuple(Fact(provider, f) for provider, glob in CI_PROVIDERS for f in tree.glob(glob)),
        commands=_commands(tree, own, manager.value if manager else ""),
        compose=compose,
    )


def _language(tree: Tree, own: str, golden_path: GoldenPath) -> str:
    if any(tree.glob(m, own) for m in golden_path.language_markers):
        return golden_path.language
    return next((name for name, marker in OTHER_LANGUAGES if tree.glob(marker, own)), "")


def _package_manager(tree: Tree, own: str, facts: AdoptFacts) -> Fact | None:
    for name, markers in facts.package_managers:
        for marker in markers:
            found = tree.glob(marker, own)
            if found:
                return Fact(name, found[0])
    return None


def _commands(tree: Tree, own: str, manager: str) -> dict[str, Fact]:
    """The repository's own test and lint commands: package.json scripts, scripts/*.sh, Makefile targets."""
    prefix = f"{own}/" if own else ""
    scripts = tree.json(prefix + "package.json").get("scripts")
    found: dict[str, Fact] = {}
    for task in ("test", "lint"):
        command = scripts.get(task) if isinstance(scripts, dict) else None
        if isinstance(command, str) and NPM_DEFAULT_TEST not in command:
            runner = {"yarn": "yarn", "pnpm": "npx --yes pnpm@9 run"}.get(manager, "npm run")
            found[task] = Fact(f"{runner} {task}", f"{prefix}package.json scripts.{task}")
        elif tree.has(f"{prefix}scripts/{task}.sh"):
            runner = {"poetry": "poetry run ", "uv": "uv run "}.get(manager, "")
            found[task] = Fact(f"{runner}bash scripts/{task}.sh", f"{prefix}scripts/{task}.sh")
        elif re.search(rf"^{task}:", tree.text(f"{prefix}Makefile") or "", re.MULTILINE):
            found[task] = Fact(f"make {task}", f"{prefix}Makefile")
    return found
