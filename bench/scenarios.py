"""The scenarios of issue 6: what runs, on which work, against which target.

A :class:`Scenario` holds commands (platctl's first) run in turn, round after
round, so platctl and its peers share the same machine conditions; and
comparisons, each a platctl command against one peer command. ``prepare`` runs
untimed before each run (a fresh output directory, a ``git reset``), and
``verify`` checks untimed after each run that the tool did the work.
"""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

import fixtures
from measure import run_checked
from peers import Peer

Argv = Callable[[int], list[str]]
Hook = Callable[[int], None]
Check = Callable[[int], "str | None"]
LINT_CODES = frozenset({0, 1})  # 1 = the linter ran and reported findings


@dataclass(frozen=True)
class Target:
    seconds: float
    peak_mb: float | None = None


@dataclass
class Command:
    key: str  # unique in its scenario, e.g. "platctl-help"
    tool: str  # "platctl" or the peer's name
    label: str  # what the table shows
    argv: Argv
    cwd: Path
    ok_codes: frozenset[int] = frozenset({0})
    prepare: Hook | None = None
    verify: Check | None = None
    missing: str = ""  # why a peer is n/a
    target: Target | None = None


@dataclass
class Scenario:
    name: str
    title: str
    commands: list[Command]
    comparisons: list[tuple[str, str]] = field(default_factory=list)  # (platctl key, peer key)
    notes: list[str] = field(default_factory=list)
    after: Callable[[], list[str]] | None = None  # untimed checks once the runs are done; returns notes


@dataclass(frozen=True)
class World:
    """What every scenario needs: the run directory, the environment, the tools."""

    run_dir: Path
    env: dict[str, str]
    platctl: str
    peers: dict[str, Peer]

    def peer_command(self, key: str, name: str, label: str, args: Callable[[Peer, int], list[str]], cwd: Path,
                     **options: object) -> Command:
        peer = self.peers[name]
        argv: Argv = (lambda i: args(peer, i)) if peer.exe else (lambda i: [])
        return Command(key, name, label, argv, cwd, missing=peer.missing, **options)  # type: ignore[arg-type]


def fixed(argv: list[str]) -> Argv:
    return lambda _i: list(argv)


def _fresh(path: Path) -> Path:
    if path.exists():
        shutil.rmtree(path)
    path.mkdir(parents=True)
    return path


# -- start-up -------------------------------------------------------------------
def startup(world: World) -> Scenario:
    cwd = world.run_dir
    cmds = [
        Command("platctl-help", "platctl", "platctl --help", fixed([world.platctl, "--help"]), cwd,
                target=Target(0.10)),
        Command("platctl-version", "platctl", "platctl --version", fixed([world.platctl, "--version"]), cwd),
    ]
    for name in ("cookiecutter", "cruft", "copier"):
        cmds.append(world.peer_command(f"{name}-help", name, f"{name} --help", lambda p, _i: p.argv("--help"), cwd))
    pairs = [("platctl-help", f"{n}-help") for n in ("cookiecutter", "cruft", "copier")]
    return Scenario("startup", "Start-up", cmds, pairs)


# -- scaffold -------------------------------------------------------------------
def scaffold(world: World) -> Scenario:
    base = world.run_dir / "scaffold"
    template = fixtures.copy_bundled(base / "template-cookiecutter")
    copier_template = fixtures.to_copier(template, base / "template-copier")
    out = {tool: base / tool for tool in ("platctl", "cookiecutter", "copier")}

    def prepare(tool: str) -> Hook:
        def fresh(i: int) -> None:
            _fresh(out[tool] / str(i))
        return fresh

    def made(tool: str) -> Check:
        return lambda i: None if (out[tool] / str(i) / fixtures.SERVICE / "Dockerfile").is_file() else "no service"

    platctl = Command(
        "platctl-new", "platctl", "platctl new service (git init + commit)",
        lambda i: [world.platctl, "new", "service", fixtures.SERVICE, "--no-input", "-o", str(out["platctl"] / str(i))],
        base, prepare=prepare("platctl"), verify=made("platctl"), target=Target(0.6),
    )
    cookiecutter = world.peer_command(
        "cookiecutter", "cookiecutter", "cookiecutter --no-input",
        lambda p, i: p.argv("--no-input", str(template), "-o", str(out["cookiecutter"] / str(i)),
                            f"service_name={fixtures.SERVICE}"),
        base, prepare=prepare("cookiecutter"), verify=made("cookiecutter"),
    )
    copier = world.peer_command(
        "copier", "copier", "copier copy --defaults",
        lambda p, i: p.argv("copy", "--defaults", "--trust", "-d", f"service_name={fixtures.SERVICE}",
                            str(copier_template), str(out["copier"] / str(i) / fixtures.SERVICE)),
        base, prepare=prepare("copier"), verify=made("copier"),
    )
    notes = [
        "platctl renders the bundled python-service golden path, validates answers, writes .platctl.yaml and "
        "makes a git repository with one commit; the peers only render.",
        "cookiecutter renders a snapshot of the same template directory; copier renders the same files converted "
        "mechanically (copier.yml from cookiecutter.json, `cookiecutter.x` -> `x`, every file a template).",
    ]
    def same_output() -> list[str]:
        records = frozenset({".platctl.yaml", ".copier-answers.yml"})
        first = {tool: out[tool] / "0" / fixtures.SERVICE for tool in out}
        found = []
        for tool in ("cookiecutter", "copier"):
            if first[tool].is_dir() and first["platctl"].is_dir():
                differ = fixtures.compare_trees(first["platctl"], first[tool], records)
                listed = ": " + ", ".join(differ[:8]) if differ else ""
                found.append(f"{tool} rendered {fixtures.count_files(first[tool])} files; "
                             f"{len(differ)} differ from platctl's render{listed}")
        return found

    return Scenario("scaffold", "Scaffold a service", [platctl, cookiecutter, copier],
                    [("platctl-new", "cookiecutter"), ("platctl-new", "copier")], notes, same_output)


# -- conformance ------------------------------------------------------------------
def doctor_service(world: World, service: Path) -> Scenario:
    cwd = service.parent
    cmds = [
        Command("platctl-doctor", "platctl", "platctl doctor SERVICE", fixed([world.platctl, "doctor", str(service)]),
                cwd, ok_codes=LINT_CODES, target=Target(0.20)),
        world.peer_command("repolinter", "repolinter", "repolinter lint SERVICE (default rules)",
                           lambda p, _i: p.argv("lint", str(service)), cwd, ok_codes=LINT_CODES),
        world.peer_command("checkov", "checkov", "checkov -d SERVICE --skip-download --quiet",
                           lambda p, _i: p.argv("-d", str(service), "--skip-download", "--quiet"), cwd,
                           ok_codes=LINT_CODES),
    ]
    return Scenario("doctor", "Conformance: one fresh service", cmds,
                    [("platctl-doctor", "repolinter"), ("platctl-doctor", "checkov")])


def doctor_large(world: World, repo: Path, tracked: int) -> Scenario:
    cwd = repo.parent
    cmds = [
        Command("platctl-doctor-large", "platctl", f"platctl doctor REPO ({tracked:,} files)",
                fixed([world.platctl, "doctor", str(repo)]), cwd, ok_codes=LINT_CODES, target=Target(0.5, 100.0)),
        world.peer_command("repolinter-large", "repolinter", "repolinter lint REPO (default rules)",
                           lambda p, _i: p.argv("lint", str(repo)), cwd, ok_codes=LINT_CODES),
    ]
    notes = [f"A git monorepo: {tracked:,} committed files (5 services, small source files in nested directories) "
             "plus 5,000 build files under the .gitignore'd build/."]
    return Scenario("doctor-20k", "Conformance: 20,000-file repository", cmds,
                    [("platctl-doctor-large", "repolinter-large")], notes)


def many_repos(world: World, services: list[Path]) -> Scenario:
    cwd = services[0].parent
    cmd = Command("platctl-doctor-many", "platctl", f"platctl doctor over {len(services)} services (one call)",
                  fixed([world.platctl, "doctor", *map(str, services)]), cwd, ok_codes=LINT_CODES,
                  target=Target(10.0))
    return Scenario("many-repos", f"Many repositories ({len(services)})", [cmd])


# -- drift and upgrade ----------------------------------------------------------------
@dataclass(frozen=True)
class Projects:
    platctl: Path
    cruft: Path
    copier: Path


def make_projects(world: World) -> Projects:
    """The two-tag templates and one project per tool from v1.0.0, each committed, with the same team edit."""
    base = world.run_dir / "drift"
    cc_repo, cp_repo = fixtures.two_tag_repos(base)
    projects = Projects(*(base / tool / fixtures.SERVICE for tool in ("platctl", "cruft", "copier")))

    def run(argv: list[str], cwd: Path) -> None:
        run_checked(argv, cwd, world.env)

    (base / "platctl").mkdir()
    run([world.platctl, "new", "service", fixtures.SERVICE, "--no-input", "-g", str(cc_repo), "--ref", "v1.0.0",
         "-o", str(base / "platctl")], base)
    if world.peers["cruft"].exe:
        (base / "cruft").mkdir()
        run(world.peers["cruft"].argv("create", str(cc_repo), "--checkout", "v1.0.0", "--no-input",
                                      "--extra-context", f'{{"service_name": "{fixtures.SERVICE}"}}'), base / "cruft")
        fixtures.git_commit_all(projects.cruft, "cruft create")
    if world.peers["copier"].exe:
        run(world.peers["copier"].argv("copy", "--defaults", "--trust", "--vcs-ref", "v1.0.0",
                                       "-d", f"service_name={fixtures.SERVICE}", str(cp_repo), str(projects.copier)),
            base)
        fixtures.git_commit_all(projects.copier, "copier copy")
    for project in (projects.platctl, projects.cruft, projects.copier):
        if project.exists():
            fixtures.local_edit(project)
    return projects


def drift(world: World, projects: Projects) -> Scenario:
    cmds = [
        Command("platctl-diff", "platctl", "platctl diff", fixed([world.platctl, "diff", "."]), projects.platctl,
                ok_codes=LINT_CODES, target=Target(0.3)),
        world.peer_command("cruft-check", "cruft", "cruft check", lambda p, _i: p.argv("check"), projects.cruft,
                           ok_codes=LINT_CODES),
        world.peer_command("cruft-diff", "cruft", "cruft diff", lambda p, _i: p.argv("diff"), projects.cruft),
    ]
    notes = ["Each project was made from the local two-tag git template at v1.0.0 and carries the same committed "
             "team edit to its Dockerfile; v2.0.0 changes the Dockerfile and .dockerignore."]
    return Scenario("drift", "Drift", cmds, [("platctl-diff", "cruft-check"), ("platctl-diff", "cruft-diff")], notes)


def upgrade(world: World, projects: Projects) -> Scenario:
    def reset(project: Path) -> Hook:
        return lambda _i: fixtures.git_reset(project)

    def check(project: Path) -> Check:
        return lambda _i: fixtures.upgraded(project)

    cmds = [
        Command("platctl-upgrade", "platctl", "platctl upgrade (v1.0.0 -> v2.0.0)",
                fixed([world.platctl, "upgrade", "."]), projects.platctl, prepare=reset(projects.platctl),
                verify=check(projects.platctl), target=Target(0.6)),
        world.peer_command("cruft-update", "cruft", "cruft update -y", lambda p, _i: p.argv("update", "-y"),
                           projects.cruft, prepare=reset(projects.cruft), verify=check(projects.cruft)),
        world.peer_command("copier-update", "copier", "copier update --defaults --trust",
                           lambda p, _i: p.argv("update", "--defaults", "--trust"), projects.copier,
                           prepare=reset(projects.copier), verify=check(projects.copier)),
    ]
    notes = ["Every tool fetches the template repository (platctl into its cache, cruft and copier into a temporary "
             "clone), renders both versions and merges; each run starts from `git reset --hard` + `git clean -fdx`, "
             "and is checked to hold both the upstream change and the team edit."]
    pairs = [("platctl-upgrade", "cruft-update"), ("platctl-upgrade", "copier-update")]
    return Scenario("upgrade", "Upgrade", cmds, pairs, notes)
