"""Hostile repositories: a finding or a skip, never a traceback."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from doctor_support import GOOD, WORKFLOW, check, mutated, write_repo
from hypothesis import given, settings
from hypothesis import strategies as st

from platctl.doctor.repo import MAX_FILE_BYTES

WF = ".github/workflows/ci.yml"


def rules_and_paths(root: Path) -> set[tuple[str, str]]:
    return {(f.rule, f.path) for f in check(root).findings}


def test_malformed_yaml_hcl_and_json_are_findings(tmp_path: Path) -> None:
    files = mutated({
        WF: "on: push\njobs:\n  a: {b: [\n",
        "terraform/main.tf": 'resource "x" "y" {\n  a = 1\n',
        "observability/grafana-dashboard.json": '{"uid": ',
        "deploy/deployment.yaml": "apiVersion: v1\nkind: Pod\nspec: [\n",
    })
    found = rules_and_paths(write_repo(tmp_path, files))
    for path in (WF, "terraform/main.tf", "observability/grafana-dashboard.json", "deploy/deployment.yaml"):
        assert ("REPO001", path) in found, path


def test_binary_and_huge_files_are_skipped(tmp_path: Path) -> None:
    root = write_repo(tmp_path, GOOD)
    (root / ".github/workflows/binary.yml").write_bytes(b"\x00\x01\x02on: push\n")
    (root / "deploy/huge.yaml").write_text("a: b\n" * (MAX_FILE_BYTES // 5 + 10))
    report = check(root)
    skipped = {s.path: s.reason for s in report.services[0].skips}
    assert "binary" in skipped[".github/workflows/binary.yml"]
    assert "2 MB" in skipped["deploy/huge.yaml"]
    assert report.findings == ()


def test_yaml_bombs_and_odd_documents_do_not_crash(tmp_path: Path) -> None:
    deep = "a: " + "[" * 5000 + "]" * 5000 + "\n"
    files = mutated({WF: "- just\n- a list\n", "deploy/x.yaml": deep, "deploy/y.yaml": "apiVersion: v1\nkind: Pod\n",
                     "deploy/z.yaml": "--- !!python/object:os.system\napiVersion: v1\nkind: x\n"})
    found = rules_and_paths(write_repo(tmp_path, files))
    assert ("CI001", WF) in found


def test_symlinks_out_of_the_repo_are_never_followed(tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    (outside / "ci.yml").write_text(WORKFLOW.replace("permissions:\n  contents: read\n", ""))
    (outside / "secret.pem").write_text("-----BEGIN " + "PRIVATE KEY-----\n")
    root = write_repo(tmp_path / "repo", GOOD)
    os.symlink(outside / "ci.yml", root / ".github/workflows/linked.yml")
    os.symlink(outside / "secret.pem", root / "key.pem")
    os.symlink(outside, root / "outside-dir")
    report = check(root)
    assert report.findings == ()
    skipped = {s.path for s in report.services[0].skips}
    assert {".github/workflows/linked.yml", "key.pem"} <= skipped


def test_gitignored_files_are_never_read(tmp_path: Path) -> None:
    files = mutated({".gitignore": "secrets/\n*.local.yml\n", "secrets/key.pem": "-----BEGIN " + "PRIVATE KEY-----\n",
                     ".github/workflows/x.local.yml": "not: [valid\n"})
    root = write_repo(tmp_path, files)
    assert check(root).findings == ()
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    assert check(root).findings == ()


def test_a_crashing_rule_is_reported_not_raised(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from platctl.doctor.rules.ci import ci002_actions_pinned

    def explode(*_: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(ci002_actions_pinned, "_check_uses", explode)
    report = check(write_repo(tmp_path, GOOD), "CI002")
    assert [(f.rule, f.message) for f in report.findings] == [("CI002", "rule could not run: RuntimeError: boom")]


def test_golden_path_layers_count_as_provided_files(tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from platctl.scaffold import catalog

    bundle = tmp_path / "bundle"
    (bundle / "_base/{{cookiecutter.service_name}}").mkdir(parents=True)
    (bundle / "_base/{{cookiecutter.service_name}}/CODEOWNERS").write_text("* @x/y\n")
    (bundle / "svc/{{cookiecutter.service_name}}").mkdir(parents=True)
    (bundle / "svc/cookiecutter.json").write_text('{"service_name": "svc"}')
    (bundle / "svc/golden-path.yaml").write_text("name: svc\nversion: 1.0.0\nextends: [../_base]\n")
    monkeypatch.setattr(catalog, "bundled_root", lambda: bundle)
    catalog._load_bundled.cache_clear()
    try:
        info = catalog.bundled_golden_path("svc")
        assert info is not None and info.provides("CODEOWNERS")
    finally:
        catalog._load_bundled.cache_clear()


def test_template_sources_are_skipped_not_parsed(tmp_path: Path) -> None:
    files = mutated({"gp/{{cookiecutter.service_name}}/.github/workflows/ci.yml": "on: {{ cookiecutter.x }}\n"})
    report = check(write_repo(tmp_path, files))
    assert report.findings == ()
    assert [s.path for s in report.services[0].skips] == ["gp/{{cookiecutter.service_name}}/.github/workflows/ci.yml"]


AWS_KEY_BEFORE_SPEEDUP = r"(?<![A-Z0-9])((?:AKIA|ASIA|ABIA|ACCA)[A-Z2-7]{16})(?![A-Z0-9])"
_NEAR_KEYS = st.builds(
    lambda before, prefix, body, after: before + prefix + body + after,
    st.text(alphabet="AZ09 -\n\"=:", max_size=3),
    st.sampled_from(["AKIA", "ASIA", "ABIA", "ACCA", "AKIB", "AKI"]),
    st.text(alphabet="ABCXYZ27", min_size=14, max_size=18) | st.text(alphabet="ABCXYZ27189", min_size=15, max_size=17),
    st.text(alphabet="AZ09 -\n\"EXAMPLE", max_size=8),
)


@settings(max_examples=3000, deadline=None)
@given(st.lists(_NEAR_KEYS, min_size=1, max_size=3).map("".join))
def test_the_aws_key_pattern_finds_what_it_found_before_it_was_made_fast(text: str) -> None:
    import re

    from platctl.doctor.rules.security.sec002_cloud_access_key import _AWS_KEY

    before = [(m.start(), m.group(1)) for m in re.finditer(AWS_KEY_BEFORE_SPEEDUP, text)]
    assert [(m.start(), m.group(1)) for m in _AWS_KEY.finditer(text)] == before, text


_PIECES = st.sampled_from(["\n", "\r\n", "\r", "\x0b", "\x0c", "\x1c", "\x85", "\u2028", "x", "  ", "9", "\t",
                           "AKIAABCDEFGHIJKLMNOP", "-----BEGIN RSA PRIVATE KEY-----"])


@settings(max_examples=2000, deadline=None)
@given(st.lists(_PIECES, max_size=12).map("".join))
def test_a_whole_text_secret_search_places_each_hit_as_a_line_by_line_one_did(text: str) -> None:
    """Line and column as ``str.splitlines`` counts them, whatever the line breaks (CR, NEL, U+2028 …)."""
    from platctl.doctor.rules.security._scan import _scan_text
    from platctl.doctor.rules.security.sec001_private_key import _KEY
    from platctl.doctor.rules.security.sec002_cloud_access_key import _AWS_KEY

    for pattern in (_KEY, _AWS_KEY):
        by_line = [(n, m.start() + 1, m.group(0)) for n, line in enumerate(text.splitlines(), 1)
                   for m in pattern.finditer(line)]
        assert [(h.line, h.column, h.match.group(0)) for h in _scan_text("f", text, pattern)
                if h.match] == by_line, repr(text)
