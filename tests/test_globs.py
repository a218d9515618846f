"""platctl.globs answers exactly as fnmatch.fnmatchcase does, for any pattern and path."""

from __future__ import annotations

import fnmatch

from hypothesis import given, settings
from hypothesis import strategies as st

from platctl.doctor.roles import DEFAULT_ROLES
from platctl.globs import glob_matcher

PATTERN_CHARS = st.sampled_from(list("ab/.*?[]!-") + ["ab", "*/", "[ab]", "[a-b]", "[!a]", "[*]", "[[a]", "**"])
PATH_CHARS = st.sampled_from(list("ab/.*?[]!-"))
patterns = st.lists(st.lists(PATTERN_CHARS, max_size=8).map("".join), max_size=5)
paths = st.lists(PATH_CHARS, max_size=10).map("".join)


@settings(max_examples=3000, deadline=None)
@given(patterns, paths)
def test_same_answer_as_fnmatchcase(globs: list[str], path: str) -> None:
    assert glob_matcher(globs)(path) == any(fnmatch.fnmatchcase(path, g) for g in globs), (globs, path)


@settings(max_examples=3000, deadline=None)
@given(st.text("ab*", max_size=9), st.text("ab", max_size=9))
def test_star_globs_over_a_small_alphabet(glob: str, path: str) -> None:
    """Few letters make pieces that overlap or repeat, where a careless in-order search goes wrong."""
    assert glob_matcher([glob])(path) == fnmatch.fnmatchcase(path, glob), (glob, path)


def test_the_default_roles_need_no_regular_expression() -> None:
    """Every default role glob is a prefix, a suffix or pieces in order, so a run compiles none of them."""
    from platctl import globs

    for role_globs in DEFAULT_ROLES.values():
        assert all("?" not in g and "[" not in g for p in role_globs for g in globs._expand(p)), role_globs


def test_real_shapes() -> None:
    match = glob_matcher(["tests/*", "*/tests/*", "*.test.[jt]s", "*docker-compose.override.y*ml", "Dockerfile"])
    assert match("tests/Dockerfile") and match("svc/tests/x.py") and match("web/a.test.ts")
    assert match("deploy/docker-compose.override.yaml") and match("Dockerfile")
    assert not match("contests/x") and not match("a.test.cs") and not match("sub/Dockerfile")
