"""Wall-clock seconds a platctl run spends inside chosen functions, measured in-process.

    python bench/hotspots.py MODULE:FUNC [MODULE:Class.method ...] -- doctor PATH

cProfile's per-call overhead inflates code that makes many small calls; this
wraps only the named functions with ``time.perf_counter`` (the outermost call
of each, generators drained inside the timer) and prints one JSON object:
seconds and calls per function, the import time of ``platctl.cli.app`` and
the time of ``main``. A function that no longer exists is reported as missing.
"""

from __future__ import annotations

import importlib
import json
import sys
import time
from collections import defaultdict
from typing import Any, Callable

# What to time for each platctl command of the benchmark (key as in scenarios.py).
DOCTOR = ["platctl.doctor.api:run_doctor", "platctl.doctor.listing:list_repo_files",
          "platctl.doctor.listing:_git_files", "platctl.doctor.listing:_filter_links",
          "platctl.doctor.api:partition_files", "platctl.doctor.api:_run_rules",
          "platctl.doctor.rules.ci._workflows:workflow_paths", "platctl.doctor.rules.security._scan:scan",
          "platctl.doctor.repo:Repo.glob", "platctl.doctor.repo:Repo.with_suffix", "platctl.doctor.repo:Repo.text",
          "platctl.doctor.repo:Repo.yaml", "platctl.doctor.hcl:parse_hcl"]
RENDER = ["platctl.scaffold.render:render_tree", "platctl.scaffold.render:check_template_paths",
          "platctl.scaffold.answers:resolve_answers", "platctl.scaffold.answers:render_context",
          "platctl.scaffold.source:_git_cache", "platctl.scaffold.source:extract_archive", "shutil:rmtree",
          "shutil:copytree"]
FUNCTIONS: dict[str, list[str]] = {
    "platctl-doctor": DOCTOR,
    "platctl-doctor-large": DOCTOR,
    "platctl-doctor-many": DOCTOR,
    "platctl-new": ["platctl.scaffold.api:create_service", *RENDER, "platctl.scaffold.gitinit:commit_all"],
    "platctl-diff": ["platctl.scaffold.drift:compute_drift", *RENDER],
    "platctl-upgrade": ["platctl.upgrade.api:plan_upgrade", "platctl.upgrade.api:check_clean", *RENDER,
                        "platctl.scaffold.source:available_versions", "platctl.upgrade.merge:merge_file",
                        "platctl.upgrade.apply:apply_upgrade"],
}

_seconds: dict[str, float] = defaultdict(float)
_calls: dict[str, int] = defaultdict(int)
_active: dict[str, int] = defaultdict(int)


def _timed(spec: str, func: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if _active[spec]:
            return func(*args, **kwargs)
        _active[spec] += 1
        start = time.perf_counter()
        try:
            result = func(*args, **kwargs)
            if hasattr(result, "__next__") and hasattr(result, "send"):
                result = iter(list(result))  # a generator: do its work inside the timer
            return result
        finally:
            _seconds[spec] += time.perf_counter() - start
            _calls[spec] += 1
            _active[spec] -= 1

    return wrapper


def _patch(spec: str) -> bool:
    module_name, _, attr = spec.partition(":")
    try:
        module = importlib.import_module(module_name)
    except ImportError:
        return False
    if "." in attr:
        owner_name, method = attr.split(".", 1)
        owner = getattr(module, owner_name, None)
        if owner is None or method not in vars(owner):
            return False
        setattr(owner, method, _timed(spec, vars(owner)[method]))
        return True
    original = getattr(module, attr, None)
    if original is None:
        return False
    wrapper = _timed(spec, original)
    for loaded in list(sys.modules.values()):  # every `from x import f` binding too
        try:
            names = [k for k, v in vars(loaded).items() if v is original]
        except TypeError:
            continue
        for name in names:
            setattr(loaded, name, wrapper)
    return True


def main(argv: list[str]) -> int:
    if "--" not in argv:
        print(__doc__, file=sys.stderr)
        return 2
    specs, args = argv[: argv.index("--")], argv[argv.index("--") + 1 :]
    started = time.perf_counter()
    from platctl.cli.app import main as platctl_main

    imported = time.perf_counter() - started
    missing = [s for s in specs if not _patch(s)]
    sys.argv = ["platctl", *args]
    started = time.perf_counter()
    code: object = 0
    try:
        platctl_main()
    except SystemExit as done:
        code = done.code
    elapsed = time.perf_counter() - started
    result = {
        "import_cli_s": round(imported, 4),
        "main_s": round(elapsed, 4),
        "exit": code,
        "functions": {s: {"seconds": round(_seconds[s], 4), "calls": _calls[s]} for s in specs if s not in missing},
        "missing": missing,
    }
    sys.stdout.flush()
    print("HOTSPOTS " + json.dumps(result), file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
