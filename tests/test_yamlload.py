"""platctl.yamlload builds the same values and line numbers on its fast path as PyYAML's constructor does."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from platctl import yamlload
from platctl.yamlload import LineDict, LineList, YamlParseError, load_yaml_documents
from support import REPO_ROOT

EDGE_CASES = {
    "scalars": "a: 1\nb: 1.5\nc: true\nd: null\ne: ~\nf: 0x1F\ng: .inf\nh: 2001-12-14\ni: '1'\nj: !!binary aGk=\n",
    "merge key": "base: {a: 1}\nchild:\n  <<: {a: 2, b: 3}\n  c: 4\n",
    "value key": "x:\n  =: 1\n  y: 2\n",
    "set and omap": "s: !!set {a, b}\no: !!omap [{a: 1}, {b: 2}]\n",
    "nested": "a:\n  - b: [1, {c: d}]\n  - - x\n    - y\n",
    "several documents": "a: 1\n---\n- 2\n---\nplain\n",
    "empty": "",
    "anchor without alias": "a: &x 1\nb: 2\n",
    "int keys": "1: one\n2.5: two\ntrue: three\n",
}
ERRORS = {
    "unknown tag": "a: !Ref b\n",
    "unhashable key": "? [a, b]\n: c\n",
    "python tag": "a: !!python/object:os.system x\n",
}


def _reference(text: str) -> list[Any]:
    """What PyYAML's own constructor (with platctl's line-recording mapping and sequence) builds."""
    return list(yaml.load_all(text, Loader=yamlload._LineLoader))


def _lines(value: LineDict | LineList) -> tuple[int, Any]:
    return value.line, getattr(value, "lines", None)


def _same(a: Any, b: Any) -> bool:
    if type(a) is not type(b):
        return False
    if isinstance(a, (LineDict, LineList)) and _lines(a) != _lines(b):
        return False
    if isinstance(a, dict):
        return list(a) == list(b) and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, float) and math.isnan(a):
        return math.isnan(b)
    return bool(a == b)


@pytest.mark.parametrize("text", EDGE_CASES.values(), ids=EDGE_CASES.keys())
def test_fast_path_builds_what_pyyaml_builds(text: str) -> None:
    assert "*" not in text  # these go through the fast path
    assert _same(load_yaml_documents(text), _reference(text))


@pytest.mark.parametrize("text", ERRORS.values(), ids=ERRORS.keys())
def test_fast_path_refuses_what_pyyaml_refuses(text: str) -> None:
    with pytest.raises(yaml.YAMLError):
        _reference(text)
    with pytest.raises(YamlParseError):
        load_yaml_documents(text)


def test_every_yaml_file_of_a_service_and_the_repository_loads_the_same(default_python_service: Path) -> None:
    roots = (default_python_service, REPO_ROOT / "golden_paths", REPO_ROOT / "tests" / "fixtures")
    files = sorted(p for root in roots for p in root.rglob("*.y*ml") if p.is_file() and ".git" not in p.parts)
    compared = 0
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        try:
            expected = _reference(text)
        except (yaml.YAMLError, ValueError, TypeError, RecursionError):
            continue  # a template source; the error paths are compared above
        assert _same(load_yaml_documents(text), expected), path
        compared += 1
    assert compared > 25


KEYS = st.sampled_from(["a", "b", "1", "true", "null", "<<", "=", "1.5", "2001-01-01", "'q'", "0o7"])
SCALARS = st.sampled_from(["x", "1", "-2", "1e3", ".nan", "yes", "~", "''", '"s"', "2001-01-01", "!!str 1", "[]", "{}"])


def _node(depth: int) -> st.SearchStrategy[str]:
    if depth == 0:
        return SCALARS
    child = _node(depth - 1)
    flow_map = st.lists(st.tuples(KEYS, child), max_size=3).map(
        lambda pairs: "{" + ", ".join(f"{k}: {v}" for k, v in pairs) + "}")
    flow_seq = st.lists(child, max_size=3).map(lambda items: "[" + ", ".join(items) + "]")
    return st.one_of(SCALARS, flow_map, flow_seq)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(KEYS, _node(3)), min_size=1, max_size=4))
def test_generated_documents(pairs: list[tuple[str, str]]) -> None:
    text = "".join(f"{key}: {value}\n" for key, value in pairs)
    try:
        expected = _reference(text)
    except yaml.YAMLError:
        with pytest.raises(YamlParseError):
            load_yaml_documents(text)
        return
    assert _same(load_yaml_documents(text), expected), text


def test_a_bare_equals_sign_is_the_string_kubernetes_reads() -> None:
    """CRDs list label operators as ``- =``; PyYAML's safe loader alone refuses the YAML 1.1 "value" type."""
    text = "operators:\n  - =\n  - '!='\nmatch: =\n=: default\n"
    with pytest.raises(yaml.YAMLError):
        yaml.safe_load(text)
    assert load_yaml_documents(text) == [{"operators": ["=", "!="], "match": "=", "=": "default"}]
    assert load_yaml_documents(text)[0].line_of("match") == 4
