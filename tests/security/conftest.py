"""The security suite: every test here is an attack, written as the attacker would try it.

Each test plants a canary (a file outside the work directory, a secret string, an
exit code) and fails if the attack works. docs/security.md lists each guarantee
against the test that proves it. Run just this suite with ``pytest -m security``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

HERE = Path(__file__).parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if HERE in Path(str(item.fspath)).parents:
            item.add_marker(pytest.mark.security)
