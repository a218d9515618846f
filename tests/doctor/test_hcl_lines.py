"""The Terraform line reader's shortcuts answer as its character scan does."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from platctl.doctor import hcl_lines

LINES = st.lists(st.sampled_from(list('ab #/"\\{}[]()=$') + ["//", "${", '\\"']), max_size=16).map("".join)


@settings(max_examples=3000, deadline=None)
@given(LINES)
def test_strip_comment_shortcuts(line: str) -> None:
    assert hcl_lines.strip_comment(line) == hcl_lines._strip_comment_scanning(line), line


@settings(max_examples=3000, deadline=None)
@given(LINES)
def test_balance_shortcut(text: str) -> None:
    assert hcl_lines._balance(text) == hcl_lines._balance_scanning(text), text


def test_real_lines() -> None:
    assert hcl_lines.strip_comment('  cidr = "10.0.0.0/16" # the VPC') == '  cidr = "10.0.0.0/16" '
    assert hcl_lines.strip_comment("  count = 1 // one") == "  count = 1 "
    assert hcl_lines.strip_comment('  url = "https://example.com/#x"') == '  url = "https://example.com/#x"'
    assert hcl_lines._balance("tags = merge(var.tags, {") == 2
