"""Archive a bundled golden path's current version so it stays renderable.

Usage: python scripts/release_golden_path.py NAME

Run it when a golden path's version in golden-path.yaml is bumped (and its
CHANGELOG.md says what changed). It writes releases/VERSION.tar.gz, its
reference digest VERSION.sha256, and refreshes releases/SHA256SUMS, the
checksums platctl verifies before it unpacks a release. tests/test_releases.py fails when the current
template differs from the archive of its own version, so a change that is not
released as a new version cannot land.
"""

from __future__ import annotations

import sys

from platctl.bundle import bundled_root
from platctl.scaffold.catalog import load_template_dir
from platctl.scaffold.releases import release_golden_path


def main(argv: list[str]) -> int:
    if len(argv) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    root = bundled_root() / argv[0]
    version = load_template_dir(root, argv[0]).version
    archive, digest = release_golden_path(root, version)
    print(f"released {argv[0]} {version}: {archive} and {digest}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
