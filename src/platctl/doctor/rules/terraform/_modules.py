"""Terraform directories (modules) as rules see them."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from platctl.doctor.hcl import Block, HclFile
from platctl.doctor.repo import Repo


@dataclass(frozen=True)
class TerraformModule:
    """A Terraform module: a directory and its parsed ``.tf`` files."""

    directory: str
    files: tuple[HclFile, ...]

    def blocks(self, block_type: str) -> Iterator[tuple[HclFile, Block]]:
        for hcl_file in self.files:
            for block in hcl_file.blocks(block_type):
                yield hcl_file, block

    def nested(self, outer: str, inner: str) -> Iterator[tuple[HclFile, Block]]:
        for hcl_file, block in self.blocks(outer):
            for child in block.children(inner):
                yield hcl_file, child

    @property
    def is_root(self) -> bool:
        """A root module configures providers or a backend (a reusable module does neither)."""
        return any(True for _ in self.blocks("provider")) or self.has_backend

    @property
    def has_backend(self) -> bool:
        """A ``backend`` or a ``cloud`` (HCP Terraform) block: state lives remotely."""
        return any(True for _ in self.nested("terraform", "backend")) or any(
            True for _ in self.nested("terraform", "cloud")
        )

    @property
    def anchor(self) -> str:
        """The file to report module-level findings on: versions.tf, main.tf, else the first."""
        names = {f.path.rsplit("/", 1)[-1]: f.path for f in self.files}
        return names.get("versions.tf") or names.get("main.tf") or self.files[0].path


def iter_modules(repo: Repo) -> Iterator[TerraformModule]:
    by_directory: dict[str, list[HclFile]] = {}
    for path in repo.with_suffix(".tf"):
        parsed = repo.hcl(path)
        if parsed is not None:
            by_directory.setdefault(path.rsplit("/", 1)[0] if "/" in path else ".", []).append(parsed)
    for directory in sorted(by_directory):
        yield TerraformModule(directory, tuple(by_directory[directory]))
