"""``platctl fleet``: adoption, versions and conformance across every repository, over time.

scan/ingest -> snapshots (``model``) -> database (``db``, ``schema``, ``store``)
-> ``summary`` -> reporters (``reporters/``) and the Backstage export; ``upgrade``,
``forge`` and ``pipeline`` act on the fleet. The core never prints.
"""
