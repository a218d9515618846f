"""The ``platctl`` executable: process-wide settings, then the CLI.

A platctl process lives for a fraction of a second. At Python's default (a young
collection every 700 net allocations) the cycle collector runs 55 times in a doctor
run on a fresh service, about 5 % of it, walking again and again over the objects
the imports build, which live until exit anyway. So collections start after 20,000
allocations, and what the imports built is left out of every later collection.
Cycles a long run makes (doctor over 200 services, a fleet scan) are still freed.
The settings are the executable's: code that imports ``platctl.cli.app`` (tests,
other tools) keeps its own.
"""

from __future__ import annotations

import gc

YOUNG_COLLECTION_EVERY = 20_000  # net allocations; Python's default is 700


def main() -> None:
    gc.set_threshold(YOUNG_COLLECTION_EVERY, 20, 20)
    from platctl.cli.app import main as run

    gc.freeze()
    run()
