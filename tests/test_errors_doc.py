"""Every documented error: its text and exit code, straight from docs/errors.md."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path

import pytest

from support import REPO_ROOT
from test_upgrade import run

ROW = re.compile(r"^\| `platctl (?P<args>[^`]+)` \| (?P<code>\d+) \| `(?P<message>.+)` \|$")
ROWS = [m.groupdict() for line in (REPO_ROOT / "docs/errors.md").read_text().splitlines() if (m := ROW.match(line))]


@pytest.fixture
def scratch(tmp_path: Path) -> Path:
    (tmp_path / "existing/svc").mkdir(parents=True)
    (tmp_path / "existing/svc/README.md").write_text("mine\n")
    (tmp_path / "broken.yaml").write_text("owner: team-a\nport: : 8080\n")
    hooked = tmp_path / "hooked"
    (hooked / "{{cookiecutter.service_name}}").mkdir(parents=True)
    (hooked / "hooks").mkdir()
    (hooked / "hooks/post_gen_project.py").write_text("raise SystemExit('must not run')\n")
    (hooked / "cookiecutter.json").write_text(json.dumps({"service_name": "svc"}))
    return tmp_path


def test_the_table_is_there() -> None:
    assert len(ROWS) >= 20


@pytest.mark.parametrize("row", ROWS, ids=[r["args"][:60] for r in ROWS])
def test_documented_error(row: dict[str, str], scratch: Path) -> None:
    args = shlex.split(row["args"].replace("{tmp}", str(scratch)))
    result = run(*args, cwd=scratch)
    message = row["message"].replace("{tmp}", str(scratch))
    assert result.returncode == int(row["code"]), result
    assert result.stderr.startswith("platctl: error: ") and result.stderr.count("\n") == 1, result.stderr
    assert message in result.stderr, result.stderr
    assert not (scratch / "out").exists()
