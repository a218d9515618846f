"""A short fuzz run with the sandbox on: template file names, answers and recorded records find no escape.

Each example renders into a fresh staging folder inside a work folder with a
canary beside it. Whatever the input, the render either fails with a platctl
error or writes only inside its staging folder, never a ``.git`` entry, never
the canary.
"""

from __future__ import annotations

import json
import os
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from platctl.errors import PlatctlError
from platctl.scaffold.answers import render_context, resolve_answers
from platctl.scaffold.catalog import load_template_dir
from platctl.scaffold.render import render_tree

FRAGMENTS = [
    "..", ".", ".git", ".GIT", "/", "a", "{{ ", " }}", "{% ", " %}", "'..'", "'/'", "'.git'", "~",
    "cookiecutter.x", "random_ascii_string(2)", "uuid4()", "'x' | jsonify", "now('utc')", " ~ ", " + ",
    "cycler.__init__", "__globals__", "os.system('touch CANARY')", "lipsum", "self", "|attr('__class__')",
    "range(10**9)", "'a' * 99999999", "\\", " ", "-", "{{cookiecutter.x}}",
]
ANSWER_TEXT = st.lists(st.sampled_from(FRAGMENTS), max_size=8).map("".join) | st.text(max_size=20)
NAME = st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=8).map("".join)
FUZZ = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def render_untrusted(files: dict[str, str], context: dict[str, object], answers: dict[str, object]) -> None:
    """Render in a fresh work folder; assert nothing escaped, whatever happened."""
    work = Path(tempfile.mkdtemp(prefix="platctl-fuzz-"))
    try:
        canary = work / "CANARY"
        template = work / "t"
        folder = template / "{{cookiecutter.service_name}}"
        folder.mkdir(parents=True)
        (template / "cookiecutter.json").write_text(json.dumps(context))
        for rel, text in files.items():
            path = folder / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
        staging = work / "out" / "staging"
        staging.mkdir(parents=True)
        before = outside(work, staging)
        try:
            golden_path = load_template_dir(template, str(template))
            resolved = resolve_answers(golden_path, answers)
            render_tree(golden_path, render_context(golden_path, resolved), staging, staging.parent)
        except PlatctlError:
            pass
        after = outside(work, staging)
        assert not canary.exists(), "template code ran"
        assert after == before, f"written outside staging: {set(after) - set(before)}"
        for path in staging.rglob("*"):
            assert path.name.casefold().rstrip(". ") != ".git", path
            assert not path.is_symlink(), path
    finally:
        shutil.rmtree(work, ignore_errors=True)


def outside(work: Path, staging: Path) -> list[Path]:
    return sorted(p for p in work.rglob("*") if p != staging and staging not in p.parents)


def creatable(name: str) -> bool:
    parts = name.split("/")
    return all(p not in ("", ".", "..") and len(p.encode()) < 200 for p in parts) and "\0" not in name


@FUZZ
@given(name=NAME.filter(creatable), x=ANSWER_TEXT)
def test_fuzzed_file_names_never_escape(name: str, x: str) -> None:
    os.environ.setdefault("XDG_CACHE_HOME", tempfile.mkdtemp())
    render_untrusted({name: "{{ cookiecutter.x }}\n", "keep.txt": "k\n"}, {"service_name": "svc", "x": "v"}, {"x": x})


@FUZZ
@given(x=ANSWER_TEXT, y=ANSWER_TEXT)
def test_fuzzed_answers_are_data(x: str, y: str) -> None:
    """Answers land in names and contents; whatever they hold, they are never rendered and never escape."""
    files = {"{{ cookiecutter.x }}/f.txt": "{{ cookiecutter.y }}", "d/{{ cookiecutter.y }}": "{{ cookiecutter.x }}"}
    render_untrusted(files, {"service_name": "svc", "x": "a", "y": "b"}, {"x": x, "y": y})


@FUZZ
@given(default=ANSWER_TEXT, choice=ANSWER_TEXT)
def test_fuzzed_defaults_and_choices_run_no_code(default: str, choice: str) -> None:
    render_untrusted(
        {"f.txt": "{{ cookiecutter.x }}{{ cookiecutter.c }}"},
        {"service_name": "svc", "x": default, "c": [choice, "b"]},
        {},
    )


@FUZZ
@given(values=st.dictionaries(st.sampled_from(["service_name", "owner", "description", "x"]), ANSWER_TEXT, max_size=4))
def test_fuzzed_records_render_nothing(values: dict[str, str]) -> None:
    """A `.platctl.yaml` with any answers: read, resolved and rendered with the bundled golden path, no escape."""
    from platctl.bundle import bundled_root
    from platctl.scaffold.layers import composed

    bundled = load_template_dir(bundled_root() / "python-service", "bundled:python-service")
    work = Path(tempfile.mkdtemp(prefix="platctl-fuzz-"))
    try:
        with composed(bundled) as golden_path:
            answers = {k: v for k, v in values.items() if golden_path.variable(k) is not None}
            try:
                resolved = resolve_answers(golden_path, answers)
                staging = work / "staging"
                staging.mkdir()
                render_tree(golden_path, render_context(golden_path, resolved), staging, work)
            except PlatctlError:
                return
        assert not (work / "CANARY").exists() and not Path("CANARY").exists()
        assert [p.name for p in work.iterdir()] == ["staging"]
    finally:
        shutil.rmtree(work, ignore_errors=True)
