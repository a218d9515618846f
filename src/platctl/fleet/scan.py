"""``fleet scan``: every repository checked in-process by doctor, spread over the machine's cores."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Sequence

from platctl.fleet.collect import ScanOptions, failed, now_iso, snapshots_of
from platctl.fleet.model import Snapshot
from platctl.fleet.targets import Target, checkout

# Below this many repositories one process is faster than starting workers.
PARALLEL_FROM = 4
Progress = Callable[[Snapshot], None]


def scan_targets(targets: Sequence[Target], options: ScanOptions, progress: Progress | None = None,
                 workers: int | None = None) -> list[Snapshot]:
    """One or more snapshots per target, in the targets' order; ``progress`` hears of each as it lands."""
    options = ScanOptions(options.at or now_iso(), options.drift, options.policy)
    found: list[Snapshot] = []
    for snapshots in _each(targets, options, workers or os.cpu_count() or 1):
        for snapshot in snapshots:
            found.append(snapshot)
            if progress is not None:
                progress(snapshot)
    return found


def _each(targets: Sequence[Target], options: ScanOptions, workers: int) -> Iterator[list[Snapshot]]:
    if len(targets) < PARALLEL_FROM or workers < 2:
        yield from (scan_one(t, options) for t in targets)
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    chunk = max(1, min(16, len(targets) // (workers * 8)))
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork")) as pool:
        yield from pool.map(scan_one, targets, [options] * len(targets), chunksize=chunk)


def scan_one(target: Target, options: ScanOptions) -> list[Snapshot]:
    """Clone if needed, then scan; a clone that fails is the repository's error row."""
    from platctl.errors import PlatctlError

    try:
        path = checkout(target)
    except PlatctlError as error:
        return [failed(target.location, options.at or now_iso(), str(error))]
    return snapshots_of(path, target.location, options)
