"""Configuration: the doctor section, the org policy, waivers, inline suppressions; errors name file and line."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from doctor_support import GOOD, SHA, WORKFLOW, check, mutated, record, write_repo

from platctl.doctor.model import Severity
from platctl.errors import ConfigError

WF = ".github/workflows/ci.yml"
UNPINNED = WORKFLOW.replace(f"@{SHA}  # v4.2.2", "@v4")


def repo_with(tmp_path: Path, doctor: str, workflow: str = UNPINNED) -> Path:
    return write_repo(tmp_path, mutated({".platctl.yaml": record(doctor=doctor), WF: workflow}))


def test_unknown_key_names_file_and_line(tmp_path: Path) -> None:
    root = repo_with(tmp_path, "doctor:\n  ignore: [CI002]\n  selct: [CI]\n")
    with pytest.raises(ConfigError, match=r"\.platctl\.yaml:9: unknown key 'selct'"):
        check(root)


def test_unknown_rule_names_file_and_line(tmp_path: Path) -> None:
    root = repo_with(tmp_path, "doctor:\n  ignore: [CI999]\n")
    with pytest.raises(ConfigError, match=r"\.platctl\.yaml:8: unknown rule 'CI999'"):
        check(root)


def test_malformed_record_names_file_and_line(tmp_path: Path) -> None:
    root = write_repo(tmp_path, mutated({".platctl.yaml": "golden_path:\n  name: [x\n"}))
    with pytest.raises(ConfigError, match=r"\.platctl\.yaml:\d+: not valid YAML"):
        check(root)


def test_ignore_by_code_slug_and_prefix(tmp_path: Path) -> None:
    for name in ("CI002", "actions-pinned", "CI"):
        root = repo_with(tmp_path / name, f"doctor:\n  ignore: [{name}]\n")
        assert check(root).findings == (), name


def test_severity_override_and_per_path_ignore(tmp_path: Path) -> None:
    root = repo_with(tmp_path / "a", "doctor:\n  severity:\n    CI002: warning\n")
    assert [f.severity for f in check(root).findings] == [Severity.WARNING]
    root = repo_with(tmp_path / "b", "doctor:\n  per_path_ignores:\n    '.github/**': [CI002]\n")
    assert check(root).findings == ()


def test_waiver_suppresses_until_it_expires(tmp_path: Path) -> None:
    waiver = ("doctor:\n  waivers:\n    - rule: CI002\n      path: .github/workflows/*.yml\n"
              "      reason: vendor action without releases\n      expires: 2030-01-31\n")
    root = repo_with(tmp_path, waiver)
    report = check(root, today=dt.date(2029, 12, 31))
    assert report.findings == () and report.waived == 1
    expired = check(root, today=dt.date(2030, 2, 1))
    assert sorted(f.rule for f in expired.findings) == ["CI002", "GP004"]
    assert expired.waived == 0


def test_waiver_needs_a_reason(tmp_path: Path) -> None:
    root = repo_with(tmp_path, "doctor:\n  waivers:\n    - rule: CI002\n      path: x\n")
    with pytest.raises(ConfigError, match="waiver needs a reason"):
        check(root)


def test_inline_suppression_on_the_line_and_the_line_before(tmp_path: Path) -> None:
    same_line = UNPINNED.replace("@v4", "@v4  # platctl: ignore[CI002] no releases upstream")
    assert check(repo_with(tmp_path / "a", "", same_line)).suppressed == 1
    line_before = UNPINNED.replace("      - uses: actions/checkout@v4",
                                   "      # platctl: ignore[CI002] no releases upstream\n      - uses: "
                                   "actions/checkout@v4")
    report = check(repo_with(tmp_path / "b", "", line_before))
    assert report.findings == () and report.suppressed == 1


def write_policy(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "policy.yaml"
    path.write_text(text)
    return path


def test_policy_can_forbid_ignores(tmp_path: Path) -> None:
    policy = write_policy(tmp_path, "allow_ignore: false\n")
    root = repo_with(tmp_path / "r", "doctor:\n  ignore: [CI002]\n")
    with pytest.raises(ConfigError, match="forbids ignoring"):
        check(root, policy=policy)


def test_policy_locks_rules_against_waivers_and_lowering(tmp_path: Path) -> None:
    policy = write_policy(tmp_path, "locked: [CI002]\n")
    waived = repo_with(tmp_path / "a", "doctor:\n  waivers:\n    - {rule: CI002, path: '*', reason: r}\n")
    with pytest.raises(ConfigError, match="locked"):
        check(waived, policy=policy)
    lowered = repo_with(tmp_path / "b", "doctor:\n  severity: {CI002: info}\n")
    with pytest.raises(ConfigError, match="forbids lowering CI002"):
        check(lowered, policy=policy)


def test_policy_from_the_environment_and_its_unknown_keys(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    policy = write_policy(tmp_path, "severity:\n  CI002: warning\nbogus: 1\n")
    monkeypatch.setenv("PLATCTL_POLICY", str(policy))
    with pytest.raises(ConfigError, match=r"policy\.yaml:3: unknown key 'bogus'"):
        check(repo_with(tmp_path / "r", ""))


def test_policy_severity_applies(tmp_path: Path) -> None:
    policy = write_policy(tmp_path, "severity:\n  CI002: warning\n")
    report = check(repo_with(tmp_path / "r", ""), policy=policy)
    assert [f.severity for f in report.findings] == [Severity.WARNING]


def test_select_on_the_command_line_wins(tmp_path: Path) -> None:
    root = write_repo(tmp_path, mutated({".platctl.yaml": None, WF: UNPINNED}))
    assert [f.rule for f in check(root, "CI002").findings] == ["CI002"]
    assert "GP001" in [f.rule for f in check(root).findings]


def test_good_repo_is_clean_under_a_strict_policy(tmp_path: Path) -> None:
    policy = write_policy(tmp_path, "allow_ignore: false\nallow_waivers: false\nlocked: [SEC]\n")
    assert check(write_repo(tmp_path / "r", GOOD), policy=policy).findings == ()


def test_a_narrowing_repo_select_counts_as_ignoring(tmp_path: Path) -> None:
    policy = write_policy(tmp_path, "allow_ignore: false\n")
    root = repo_with(tmp_path / "r", "doctor:\n  select: [TF]\n")
    with pytest.raises(ConfigError, match="forbids ignoring"):
        check(root, policy=policy)
    assert [f.rule for f in check(repo_with(tmp_path / "c", ""), "CI002", policy=policy).findings] == ["CI002"]


def test_locked_rules_run_even_when_the_command_line_selects_others(tmp_path: Path) -> None:
    policy = write_policy(tmp_path, "locked: [CI002]\n")
    assert [f.rule for f in check(repo_with(tmp_path / "r", ""), "TF", policy=policy).findings] == ["CI002"]


def test_rule_options_are_validated_and_applied(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="CI004 has no option 'minuts'"):
        check(repo_with(tmp_path / "a", "doctor:\n  options:\n    CI004: {minuts: 5}\n"))
    tagged = repo_with(tmp_path / "b", "doctor:\n  options:\n    TF004: {tags: [owner, data_class]}\n")
    assert [f.message for f in check(tagged, "TF004").findings] == ["default_tags lack data_class"]


def test_a_policy_can_turn_on_a_rule_that_renders(tmp_path: Path) -> None:
    root = repo_with(tmp_path / "repo", "")
    policy = tmp_path / "policy.yaml"
    policy.write_text("extend_select: [GP005]\n")
    assert "GP005" in check(root, policy=policy).services[0].rules_run
    assert "GP005" not in check(root).services[0].rules_run


def test_select_all_in_a_repository_is_no_ignore_of_a_rule_it_cannot_select(tmp_path: Path) -> None:
    root = repo_with(tmp_path / "repo", "doctor:\n  select: [ALL]\n")
    policy = tmp_path / "policy.yaml"
    policy.write_text("allow_ignore: false\n")
    report = check(root, policy=policy)
    assert "GP005" not in report.services[0].rules_run and "CI002" in report.services[0].rules_run
