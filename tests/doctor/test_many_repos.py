"""doctor over many repositories spreads them over the cores and reports exactly what one process would."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from platctl.doctor import api


def test_parallel_run_matches_a_sequential_one(default_python_service: Path, tmp_path: Path,
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    paths = []
    for i in range(12):
        target = tmp_path / f"svc{i:02d}"
        shutil.copytree(default_python_service, target, symlinks=True)
        if i % 3 == 0:
            (target / "CODEOWNERS").unlink()
        paths.append(target)
    monkeypatch.setattr(api.os, "cpu_count", lambda: 2)
    parallel = api.run_doctor(paths)
    monkeypatch.setattr(api, "PARALLEL_FROM", 10_000)
    sequential = api.run_doctor(paths)
    assert [s.root for s in parallel.services] == [s.root for s in sequential.services]
    assert parallel.findings == sequential.findings
    assert {f.path for f in parallel.findings} == {f"{tmp_path}/svc{i:02d}/CODEOWNERS" for i in (0, 3, 6, 9)}


def test_a_missing_path_among_many_is_a_usage_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from platctl.errors import UserError

    monkeypatch.setattr(api.os, "cpu_count", lambda: 2)
    paths = [tmp_path] * 9 + [tmp_path / "missing"]
    with pytest.raises(UserError, match="missing is not a directory"):
        api.run_doctor(paths)
