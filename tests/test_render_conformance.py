"""platctl renders templates itself, in a sandbox: the output must be cookiecutter's, byte for byte.

The reference is cookiecutter's own generation, run on templates from
cookiecutter's own test suite (its sdist, unpacked by scripts/test.sh) and on
every bundled golden path. File contents, names, modes, line endings, binary
files, ``_copy_without_render`` and ``templates/`` partials are compared.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Any

import pytest

from support import choice_combinations, cookiecutter_tests

REPO_ROOT = Path(__file__).resolve().parents[1]
IN_CI = os.environ.get("CI") == "true"


def tree(root: Path) -> dict[str, tuple[bytes, int]]:
    return {
        f.relative_to(root).as_posix(): (f.read_bytes(), stat.S_IMODE(f.stat().st_mode))
        for f in sorted(root.rglob("*"))
        if f.is_file()
    }


def by_cookiecutter(template: Path, context: dict[str, Any], out: Path) -> Path:
    from cookiecutter.generate import generate_files

    return Path(generate_files(repo_dir=str(template), context={"cookiecutter": context}, output_dir=str(out)))


def by_platctl(template: Path, context: dict[str, Any] | None, out: Path) -> Path:
    from platctl.scaffold.answers import render_context
    from platctl.scaffold.catalog import GoldenPath, load_template_dir
    from platctl.scaffold.render import render_tree

    if (template / "cookiecutter.json").is_file():
        golden_path = load_template_dir(template, str(template))
    else:
        golden_path = GoldenPath("t", "0.0.0", "", str(template), template, (), context=dict(context or {}))
    resolved = context if context is not None else render_context(golden_path, {})
    out.mkdir()
    return render_tree(golden_path, resolved, out, out)


def reference_context(template: Path) -> dict[str, Any]:
    """What cookiecutter itself makes of a template's cookiecutter.json without prompting."""
    from cookiecutter.generate import generate_context
    from cookiecutter.prompt import prompt_for_config

    return dict(prompt_for_config(generate_context(str(template / "cookiecutter.json")), no_input=True))


PLAIN = ["fake-repo-tmpl", "fake-repo-dict", "fake-repo-tmpl-_cookiecutter", "test-generate-files-line-end",
         "test-output-folder", "test-templates/include", "test-templates/extends", "test-templates/super",
         "test-templates/no-templates"]

WITH_CONTEXT = {
    "test-generate-binaries": {"binary_test": "binary_files"},
    "test-generate-files-permissions": {"permissions": "permissions"},
    "test-generate-copy-without-render": {
        "repo_name": "test_copy_without_render",
        "render_test": "I have been rendered!",
        "_copy_without_render": ["*not-rendered", "rendered/not_rendered.yml", "*.txt",
                                 "{{cookiecutter.repo_name}}-rendered/README.md"],
    },
}


@pytest.mark.parametrize("name", PLAIN)
def test_cookiecutters_own_templates_render_the_same(tmp_path: Path, name: str) -> None:
    template = cookiecutter_tests() / name
    context = reference_context(template)
    reference = by_cookiecutter(template, context, tmp_path / "cookiecutter")
    ours = by_platctl(template, None, tmp_path / "platctl")
    assert tree(ours) == tree(reference)
    assert tree(ours), "the template rendered no file"


@pytest.mark.parametrize("name", sorted(WITH_CONTEXT))
def test_cookiecutters_generate_fixtures_render_the_same(tmp_path: Path, name: str) -> None:
    template = cookiecutter_tests() / name
    context = WITH_CONTEXT[name]
    reference = by_cookiecutter(template, dict(context), tmp_path / "cookiecutter")
    ours = by_platctl(template, dict(context), tmp_path / "platctl")
    assert tree(ours) == tree(reference)
    assert tree(ours)


@pytest.mark.parametrize("golden_path", ["python-service", "node-service"])
def test_bundled_golden_paths_render_as_cookiecutter_does(tmp_path: Path, golden_path: str) -> None:
    """Every choice combination of each bundled golden path: the sandbox changes no byte."""
    from platctl.bundle import bundled_root
    from platctl.scaffold.answers import render_context, resolve_answers
    from platctl.scaffold.catalog import load_template_dir
    from platctl.scaffold.layers import composed

    bundled = load_template_dir(bundled_root() / golden_path, f"bundled:{golden_path}")
    with composed(bundled) as whole:
        for index, combo in enumerate(choice_combinations(golden_path)):
            answers = resolve_answers(whole, {"service_name": "payments-api", "owner": "team-payments", **combo})
            context = render_context(whole, answers)
            full = {
                **context,
                "_template": whole.source,
                "_output_dir": str(tmp_path),
                "_repo_dir": str(whole.template_dir),
                "_checkout": None,
            }
            reference = by_cookiecutter(whole.template_dir, full, tmp_path / f"c{index}")
            ours = by_platctl_golden(whole, context, tmp_path / f"p{index}")
            assert tree(ours) == tree(reference), combo


def by_platctl_golden(golden_path: Any, context: dict[str, Any], out: Path) -> Path:
    from platctl.scaffold.render import render_tree

    out.mkdir()
    return render_tree(golden_path, context, out, out.parent)


def test_line_endings_and_new_lines_option_match_cookiecutter(tmp_path: Path) -> None:
    """CRLF, mixed and LF sources keep their first line ending; ``_new_lines`` overrides it."""
    template = tmp_path / "t"
    folder = template / "{{cookiecutter.name}}"
    folder.mkdir(parents=True)
    (template / "cookiecutter.json").write_text('{"name": "svc"}')
    (folder / "crlf.txt").write_bytes(b"{{ cookiecutter.name }}\r\nsecond\r\n")
    (folder / "mixed.txt").write_bytes(b"one\r\ntwo\nthree\r\n")
    (folder / "lf.txt").write_bytes(b"{{ cookiecutter.name }}\n")
    for new_lines in (None, "\r\n"):
        context: dict[str, Any] = {"name": "svc", **({"_new_lines": new_lines} if new_lines else {})}
        out = tmp_path / repr(new_lines)
        reference = by_cookiecutter(template, dict(context), out / "cookiecutter")
        ours = by_platctl(template, dict(context), out / "platctl")
        assert tree(ours) == tree(reference)
        assert tree(ours)["crlf.txt"][0] == b"svc\r\nsecond\r\n"


EXTENSION_CASES = [
    "{{ {'b': [1, 2], 'a': 'x'} | jsonify }}",
    "{{ {'b': 1} | jsonify(2) }}",
    "{{ 'Hello, World & Co!' | slugify }}",
    "{{ 'Hello World' | slugify(separator='_') }}",
    "{{ 'Ünïcode Straße' | slugify(allow_unicode=True) }}",
    "{{ random_ascii_string(12) | length }} {{ random_ascii_string(5, punctuation=True) | length }}",
    "{{ uuid4() | length }}",
    "{% now 'utc', '%Y' %}",
    "{% now 'utc' + 'days=400', '%Y' %} {% now 'utc' - 'weeks=60', '%Y' %}",
    "{% now 'utc' %}",
]


@pytest.mark.parametrize("source", EXTENSION_CASES)
def test_cookiecutters_extensions_give_the_same_output(source: str) -> None:
    """platctl's lazy copy of cookiecutter's default extensions renders what cookiecutter's own do."""
    from cookiecutter.environment import StrictEnvironment

    from platctl.scaffold.sandbox import environment

    theirs = StrictEnvironment(context={"cookiecutter": {}}).from_string(source).render()
    ours = environment({}).from_string(source).render()
    assert ours == theirs


def test_the_extensions_load_arrow_and_slugify_only_when_used() -> None:
    import subprocess
    import sys

    probe = (
        "import sys; from platctl.scaffold.sandbox import environment; "
        "environment({}).from_string('{{ 1 | jsonify }}{{ uuid4() }}').render(); "
        "print(sorted(m for m in ('arrow', 'slugify', 'cookiecutter') if m in sys.modules))"
    )
    shown = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert shown.stdout.strip() == "[]"
