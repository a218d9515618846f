"""Container image references: whether one is pinned, shared by every rule that reads images."""

from __future__ import annotations

import re

# A tag that names a version with at least a minor part, or a release/build date: pins something.
# A tag with no digit (alpine, dind, testing, stable) or a lone major (3, 16-alpine) floats.
_LONE_MAJOR = re.compile(r"^v?\d+(?:-[A-Za-z][\w.-]*)?$")
# A distribution release named by its codename pins a release as a number would (debian:trixie-slim is Debian 13).
_CODENAMES = frozenset({"stretch", "buster", "bullseye", "bookworm", "trixie", "forky", "duke", "xenial", "bionic",
                        "focal", "jammy", "noble", "oracular", "plucky", "questing"})
_WINDOWS = ("mcr.microsoft.com/windows", "mcr.microsoft.com/powershell:nanoserver", "microsoft/windowsservercore",
            "microsoft/nanoserver", "mcr.microsoft.com/dotnet/framework")


def split_image(image: str) -> tuple[str, str | None, bool]:
    """The name, the tag (None when there is none) and whether a digest pins it."""
    name, _, digest = image.partition("@")
    last = name.rsplit("/", 1)[-1]
    if ":" in last:
        name, tag = name.rsplit(":", 1)
        return name, tag, bool(digest)
    return name, None, bool(digest)


def image_problem(image: str, stages: set[str] = frozenset(), floating: bool = True) -> str | None:  # type: ignore[assignment]
    """Why ``image`` is not pinned, or None when it is (a digest, or a tag naming a version).

    ``floating=False``: only an untagged or ``latest`` image is a problem, for a tag the team's own deploy
    pipeline sets (a kustomization ``newTag`` that ``kustomize edit set image`` rewrites to a digest).
    """
    if image.lower() in stages or image == "scratch" or "$" in image or "{{" in image:
        return None
    name, tag, digest = split_image(image)
    if digest:
        return None
    if tag is None:
        return "has no tag (means latest)"
    if tag == "latest":
        return "uses the latest tag"
    if not floating:
        return None
    if not any(c.isdigit() for c in tag) and not _CODENAMES & set(re.split(r"[-_.]", tag)):
        return f"uses the floating tag {tag!r}, which names no version"
    if _LONE_MAJOR.match(tag):
        return f"uses the tag {tag!r}, a major version only, which moves with every minor release"
    return None


def is_windows_image(image: str) -> bool:
    """A Windows base image (servercore, nanoserver, .NET Framework): its users are names, never numeric UIDs."""
    lowered = image.lower()
    return lowered.startswith(_WINDOWS) or "windowsservercore" in lowered or "nanoserver" in lowered
