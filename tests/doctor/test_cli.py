"""``platctl doctor`` and ``platctl rules`` as a user runs them: formats, exit codes, baselines, --fix, --explain."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Callable

from doctor_support import GOOD, SHA, WORKFLOW, cli, mutated, write_repo  # noqa: F401 - cli is a fixture

from cli_runner import CliResult

Cli = Callable[..., CliResult]
WF = ".github/workflows/ci.yml"
UNPINNED = WORKFLOW.replace(f"@{SHA}  # v4.2.2", "@v4")


def test_clean_repo_exits_zero(cli: Cli, tmp_path: Path) -> None:
    result = cli("doctor", str(write_repo(tmp_path, GOOD)))
    assert result.code == 0, result
    assert "0 errors" in result.out and "Maturity level: gold" in result.out


def test_findings_exit_one_and_exit_zero_overrides(cli: Cli, tmp_path: Path) -> None:
    root = str(write_repo(tmp_path, mutated({WF: UNPINNED})))
    result = cli("doctor", root)
    assert result.code == 1, result
    assert "CI002" in result.out and ".github/workflows/ci.yml" in result.out
    assert cli("doctor", "--exit-zero", root).code == 0


def test_fail_on_threshold(cli: Cli, tmp_path: Path) -> None:
    root = str(write_repo(tmp_path, mutated({"SECURITY.md": None})))  # SEC003 is a warning
    assert cli("doctor", root).code == 0
    assert cli("doctor", "--fail-on", "warning", root).code == 1


def test_usage_and_config_errors_exit_two(cli: Cli, tmp_path: Path) -> None:
    root = write_repo(tmp_path, GOOD)
    assert cli("doctor", "--format", "xml", str(root)).code == 2
    assert cli("doctor", "--select", "NOPE1", str(root)).code == 2
    (root / ".platctl.yaml").write_text("doctor:\n  bogus: 1\n")
    result = cli("doctor", str(root))
    assert result.code == 2 and ".platctl.yaml:2: unknown key 'bogus'" in result.err, result


def test_json_to_an_output_file(cli: Cli, tmp_path: Path) -> None:
    root = write_repo(tmp_path / "r", mutated({WF: UNPINNED}))
    out = tmp_path / "report.json"
    result = cli("doctor", "--format", "json", "--output", str(out), str(root))
    assert result.code == 1 and result.out == ""
    data = json.loads(out.read_text())
    assert [f["rule"] for f in data["services"][0]["findings"]] == ["CI002"]


def test_baseline_reports_only_new_findings(cli: Cli, tmp_path: Path) -> None:
    root = write_repo(tmp_path / "r", mutated({WF: UNPINNED}))
    baseline = tmp_path / "baseline.json"
    assert cli("doctor", "--create-baseline", str(baseline), str(root)).code == 0
    assert cli("doctor", "--baseline", str(baseline), str(root)).code == 0
    (root / WF).write_text(UNPINNED.replace("      - run: make test", "      - uses: actions/cache@v4\n      - run: "
                                                                      "make test"))
    result = cli("doctor", "--baseline", str(baseline), str(root))
    assert result.code == 1 and "actions/cache" in result.out and "actions/checkout" not in result.out, result


def test_explain_and_rules(cli: Cli) -> None:
    explained = cli("doctor", "--explain", "actions-pinned")
    assert explained.code == 0 and "## Why is this bad?" in explained.out
    assert cli("doctor", "--explain", "XX1").code == 2
    listed = cli("rules", "--format", "json")
    rules = json.loads(listed.out)
    assert len(rules) >= 30 and {"code", "slug", "title", "severity", "level", "fixable"} <= set(rules[0])
    assert "CI002" in cli("rules").out


def test_fix_adds_permissions_and_timeouts_keeping_comments(cli: Cli, tmp_path: Path) -> None:
    broken = WORKFLOW.replace("permissions:\n  contents: read\n", "").replace("    timeout-minutes: 10\n", "")
    root = write_repo(tmp_path, mutated({WF: broken}))
    before = {p: (root / p).read_bytes() for p in GOOD if p != WF}
    result = cli("doctor", "--fix", str(root))
    assert result.code == 0, result
    assert "fixed .github/workflows/ci.yml: CI003" in result.out
    fixed = (root / WF).read_text()
    assert "permissions:\n  contents: read\n" in fixed and fixed.count("timeout-minutes: 30") == 3
    assert f"@{SHA}  # v4.2.2" in fixed, "comments survive"
    assert before == {p: (root / p).read_bytes() for p in GOOD if p != WF}, "no other file is touched"


def test_monorepo_checks_each_service(cli: Cli, tmp_path: Path) -> None:
    write_repo(tmp_path / "services/a", GOOD)
    write_repo(tmp_path / "services/b", mutated({WF: UNPINNED}))
    result = cli("doctor", "--format", "json", str(tmp_path))
    data = json.loads(result.out)
    roots = {s["root"]: s for s in data["services"]}
    assert set(roots) == {".", "services/a", "services/b"}
    assert roots["."]["findings"] == []
    assert [f["path"] for f in roots["services/b"]["findings"]] == ["services/b/.github/workflows/ci.yml"]


def test_doctor_does_not_import_heavy_modules(tmp_path: Path) -> None:
    root = write_repo(tmp_path, GOOD)
    code = (
        "import sys; from platctl.cli.app import main\n"
        f"sys.argv = ['platctl', 'doctor', {str(root)!r}]\n"
        "try:\n    main()\nexcept SystemExit as e:\n    code = e.code\n"
        "heavy = sorted(m for m in ('cookiecutter', 'jinja2', 'git', 'rich', 'ruamel', 'hcl2') if m in sys.modules)\n"
        "print(code, heavy)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.splitlines()[-1] == "0 []", done.stdout + done.stderr


def test_several_paths_keep_their_findings_apart(cli: Cli, tmp_path: Path) -> None:
    write_repo(tmp_path / "a", GOOD)
    write_repo(tmp_path / "b", mutated({WF: UNPINNED}))
    result = cli("doctor", "--format", "json", str(tmp_path / "a"), str(tmp_path / "b"))
    services = json.loads(result.out)["services"]
    assert [s["root"] for s in services] == [(tmp_path / "a").as_posix(), (tmp_path / "b").as_posix()]
    assert [f["path"] for f in services[1]["findings"]] == [(tmp_path / "b" / WF).as_posix()]
