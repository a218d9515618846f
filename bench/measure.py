"""Run one command and measure it: wall time and the peak resident memory of its process tree.

Wall time is ``time.perf_counter`` around the child's whole life (fork, exec,
exit). Peak memory comes from ``os.wait4``, which returns the child's own
rusage: on Linux its ``ru_maxrss`` is the largest resident set of the child or
of any descendant it waited for (kibibytes), so ``git`` or ``node``
grandchildren count too. ``resource.getrusage(RUSAGE_CHILDREN)`` is not used:
it keeps the maximum over every child this process ever had, so deltas lie.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Mapping, Sequence

DEFAULT_TIMEOUT = 600.0


@dataclass(frozen=True)
class Sample:
    """One timed run."""

    seconds: float
    peak_mb: float
    exit_code: int
    cpu_seconds: float = 0.0  # user + system time of the process tree: above ``seconds`` means several cores


@dataclass
class Series:
    """Every sample of one command, with the first failure's output kept for the report."""

    samples: list[Sample] = field(default_factory=list)
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.error is None and bool(self.samples)

    def seconds(self) -> list[float]:
        return [s.seconds for s in self.samples]

    def median(self) -> float | None:
        return statistics.median(self.seconds()) if self.ok else None

    def low(self) -> float | None:
        return min(self.seconds()) if self.ok else None

    def high(self) -> float | None:
        return max(self.seconds()) if self.ok else None

    def peak_mb(self) -> float | None:
        return max(s.peak_mb for s in self.samples) if self.ok else None

    def cpu_median(self) -> float | None:
        return statistics.median(s.cpu_seconds for s in self.samples) if self.ok else None


class CommandFailed(Exception):
    """The command exited with a code it is not expected to give."""


def run_measured(
    argv: Sequence[str],
    cwd: Path,
    env: Mapping[str, str],
    ok_codes: frozenset[int] = frozenset({0}),
    timeout: float = DEFAULT_TIMEOUT,
) -> Sample:
    """Run ``argv`` once with output to a scratch file; raise CommandFailed on an unexpected exit."""
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        proc = subprocess.Popen(list(argv), cwd=cwd, env=dict(env), stdin=subprocess.DEVNULL, stdout=out, stderr=out)
        timer = threading.Timer(timeout, proc.kill)
        timer.start()
        try:
            _, status, usage = os.wait4(proc.pid, 0)
        finally:
            timer.cancel()
        seconds = time.perf_counter() - start
        proc.returncode = code = os.waitstatus_to_exitcode(status)
        if code not in ok_codes:
            out.seek(0)
            tail = out.read().decode("utf-8", "replace")[-1500:]
            raise CommandFailed(f"exit {code} from {' '.join(argv)} in {cwd}:\n{tail}")
    return Sample(seconds, usage.ru_maxrss / 1024.0, code, usage.ru_utime + usage.ru_stime)


def run_checked(argv: Sequence[str], cwd: Path, env: Mapping[str, str] | None = None) -> str:
    """Run an untimed setup command; raise with its output if it fails."""
    done = subprocess.run(
        list(argv), cwd=cwd, env=None if env is None else dict(env), capture_output=True, text=True, check=False
    )
    if done.returncode != 0:
        raise RuntimeError(f"setup failed: {' '.join(argv)} in {cwd}: {done.stdout[-800:]}{done.stderr[-1500:]}")
    return done.stdout
