"""The doctor core: ``run_doctor(paths, options) -> Report``. It never prints or exits."""

from __future__ import annotations

import dataclasses
import datetime as dt
import os
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from platctl import __version__
from platctl.doctor.budget import run_rule
from platctl.doctor.config import CodeResolver, EffectiveConfig, Policy, Section
from platctl.doctor.listing import list_repo_files, split_unrendered
from platctl.doctor.model import Finding, FixChange, Report, ServiceReport, Skip
from platctl.doctor.outcome import service_report
from platctl.doctor.policy import load_policy, load_repo_section, merge, policy_path, read_yaml_config
from platctl.doctor.repo import Repo, start_git_grep
from platctl.doctor.roles import PathRoles
from platctl.doctor.rules import REGISTRY
from platctl.doctor.rules.base import Rule
from platctl.doctor.services import owner_of, partition_files, service_prefixes
from platctl.errors import UserError
from platctl.globs import glob_matcher
from platctl.scaffold.record import RECORD_NAME


@dataclass(frozen=True)
class DoctorOptions:
    """Everything the command line can say to the core."""

    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    policy: Path | None = None
    baseline: Path | None = None
    fix: bool = False
    today: dt.date | None = None
    extend_select: tuple[str, ...] = ()


@dataclass(frozen=True)
class _Context:
    """What every service of one run is checked with: the rules, the policy and the command line."""

    rules: tuple[Rule, ...]
    resolver: CodeResolver
    policy: Policy
    cli: Section
    today: dt.date


def run_doctor(paths: Sequence[Path], options: DoctorOptions = DoctorOptions()) -> Report:
    """Check every path (each a repository, possibly holding several services)."""
    started = time.perf_counter()
    context = _context(options)
    services: list[ServiceReport] = []
    fixes: list[FixChange] = []
    targets = list(paths or (Path("."),))
    for path, checked in zip(targets, _check_targets(targets, context, options), strict=False):
        label = Path(path).as_posix().rstrip("/") + "/" if len(targets) > 1 else ""
        for service, service_fixes in checked:
            services.append(_relabel(service, label))
            fixes.extend(dataclasses.replace(c, path=label + c.path) for c in service_fixes)
    if options.baseline is not None:
        from platctl.doctor.baseline import apply_baseline  # json and the baseline format: only when asked

        services = apply_baseline(services, options.baseline, context.policy)
    return Report(tuple(services), tuple(r.meta for r in context.rules), tuple(fixes), __version__,
                  time.perf_counter() - started)


# Below this many paths one process is faster than starting workers.
PARALLEL_FROM = 8
_Checked = list[tuple[ServiceReport, list[FixChange]]]


def _check_targets(targets: list[Path], context: _Context, options: DoctorOptions) -> list[_Checked]:
    """Each target's services; many targets are spread over the machine's cores, in order."""
    workers = min(os.cpu_count() or 1, len(targets) // (PARALLEL_FROM // 2))
    if len(targets) < PARALLEL_FROM or workers < 2:
        return [_check_target(Path(path), context, options.fix) for path in targets]
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    for path in targets:  # a bad path is a usage error before any work starts
        if not Path(path).is_dir():
            raise UserError(f"{path} is not a directory")
    chunks = [targets[i::workers] for i in range(workers)]
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
        done = list(pool.map(_check_chunk, chunks, [options] * workers))
    results: list[_Checked] = [[] for _ in targets]
    for worker, checked in enumerate(done):
        for index, result in zip(range(worker, len(targets), workers), checked, strict=False):
            results[index] = result
    return results


def _check_chunk(targets: list[Path], options: DoctorOptions) -> list[_Checked]:
    """In a worker process: the same rules and configuration, built afresh."""
    context = _context(options)
    return [_check_target(Path(path), context, options.fix) for path in targets]


def _relabel(service: ServiceReport, label: str) -> ServiceReport:
    """With several PATH arguments, name services and findings by the path as given, so they stay distinct."""
    if not label:
        return service
    root = label.rstrip("/") if service.root == "." else label + service.root
    findings = tuple(dataclasses.replace(f, path=label + f.path) for f in service.findings)
    skips = tuple(dataclasses.replace(s, path=label + s.path) for s in service.skips)
    return dataclasses.replace(service, root=root, findings=findings, skips=skips)


def all_rules(policy: Policy | None = None) -> tuple[Rule, ...]:
    return REGISTRY + tuple(policy.custom_rules if policy else ())


def catalogue(policy_file: Path | None = None) -> tuple[Rule, ...]:
    """Built-in rules plus the custom rules of the policy (``--policy`` or ``PLATCTL_POLICY``)."""
    base = CodeResolver((r.code, r.meta.slug) for r in REGISTRY)
    return all_rules(load_policy(policy_path(policy_file), base))


def _context(options: DoctorOptions) -> _Context:
    base = CodeResolver((r.code, r.meta.slug) for r in REGISTRY)
    policy = load_policy(policy_path(options.policy), base)
    rules = all_rules(policy)
    resolver = CodeResolver((r.code, r.meta.slug) for r in rules)
    cli = Section(
        source="command line",
        select=resolver.resolve_all(_split(options.select), "--select") if options.select else None,
        ignore=resolver.resolve_all(_split(options.ignore), "--ignore") if options.ignore else (),
        extend_select=resolver.resolve_all(_split(options.extend_select), "--extend-select"),
    )
    return _Context(rules, resolver, policy, cli, options.today or dt.date.today())


def _split(names: Sequence[str]) -> list[str]:
    return [part for name in names for part in name.replace(",", " ").split()]


def _check_target(path: Path, context: _Context, fix: bool) -> list[tuple[ServiceReport, list[FixChange]]]:
    if not path.is_dir():
        raise UserError(f"{path} is not a directory")
    root = path.resolve()
    for prefilter in sorted({rule.prefilter for rule in context.rules if rule.prefilter}):
        start_git_grep(root, prefilter)  # runs while the files are listed and the other rules check
    files, skips = list_repo_files(root)
    files, unrendered = split_unrendered(files)
    skips += unrendered
    prefixes = service_prefixes(files)
    owned = partition_files(files, prefixes)
    results = []
    for prefix in prefixes:
        nested = any(p != prefix and p.startswith(prefix) for p in prefixes)
        own = [f[len(prefix):] for f in owned[prefix]]
        own_skips = [dataclasses.replace(s, path=s.path[len(prefix):]) if prefix else s for s in skips
                     if owner_of(s.path, prefixes) == prefix]  # a chart repository skips thousands of templates
        results.append(_check_service(root, prefix, own, own_skips, nested, context, fix))
    return results


def _check_service(root: Path, prefix: str, files: list[str], skips: list[Skip], has_nested: bool,
                   context: _Context, fix: bool) -> tuple[ServiceReport, list[FixChange]]:
    service_root = root / prefix if prefix else root
    config = _effective_config(service_root, files, context)
    roles = PathRoles(config.roles)
    changes = _fix_service(Repo(service_root, files, skips, roles), context, config, has_nested) if fix else []
    files = files + sorted({c.path for c in changes} - set(files))
    repo = Repo(service_root, files, skips, roles)
    findings = _run_rules(repo, context.rules, config, has_nested, context.today)
    moved = [FixChange(prefix + c.path, c.rule, c.description) for c in changes]
    report = service_report(repo, prefix, findings, config,
                            policy=context.policy, rules=context.rules, today=context.today)
    return report, moved


def _fix_service(repo: Repo, context: _Context, config: EffectiveConfig, has_nested: bool) -> list[FixChange]:
    """Apply the safe fixes for what a first pass finds; the caller checks again afterwards."""
    from platctl.doctor.fix import FixDraft

    findings = _run_rules(repo, context.rules, config, has_nested, context.today)
    draft = FixDraft(repo.root)
    for rule in context.rules:
        mine = [f for f in findings if f.rule == rule.code and f.fixable]
        if rule.fix is not None and mine:
            rule.fix(repo, mine, _options(rule, config, has_nested, context.today), draft)
    draft.write()
    return draft.changes


def _effective_config(service_root: Path, files: list[str], context: _Context) -> EffectiveConfig:
    record = read_yaml_config(service_root / RECORD_NAME) if RECORD_NAME in files else None
    source = str(service_root / RECORD_NAME)
    renders = frozenset(r.code for r in context.rules if r.meta.renders)
    section = load_repo_section(record, source, context.resolver, renders)
    defaults = tuple(r.code for r in context.rules if r.meta.default_enabled)
    return merge(context.policy, section, context.cli, context.resolver.codes, defaults, renders)


def _run_rules(repo: Repo, rules: tuple[Rule, ...], config: EffectiveConfig, has_nested: bool,
               today: dt.date) -> list[Finding]:
    findings: list[Finding] = []
    golden_path = repo.golden_path
    for rule in rules:
        if rule.code not in config.enabled or not applies(rule, golden_path.name if golden_path else None):
            continue
        found = run_rule(rule, repo, _options(rule, config, has_nested, today))
        findings.extend(f for f in found if repo.role(f.path) in rule.meta.roles)
    return findings


def _options(rule: Rule, config: EffectiveConfig, has_nested: bool, today: dt.date) -> dict[str, Any]:
    """The rule's options as configured, and what the engine knows that a rule may ask about."""
    return {**rule.meta.default_options(), **config.options.get(rule.code, {}),
            "nested_records": has_nested, "waivers": config.waivers, "today": today}


def applies(rule: Rule, golden_path: str | None) -> bool:
    """A rule runs on repos of the golden paths it names (``*``: all, also repos without a record)."""
    patterns = rule.meta.golden_paths
    return "*" in patterns or (golden_path is not None and glob_matcher(patterns)(golden_path))
