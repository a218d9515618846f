"""Find or install the tools platctl is compared with, and platctl itself.

* platctl: its own venv, ``bench/.work/venv-platctl``, with this working tree
  installed into it on every run (a wheel, as ``pipx install`` makes one), so
  platctl starts like the peers do, from a venv of its own;

* cookiecutter, cruft, copier: one venv, ``bench/.work/venv-peers``, pinned by
  ``bench/requirements-peers.txt``;
* repolinter: npm into ``bench/node_modules`` from ``bench/package.json``;
* checkov: the CI venv ``/opt/platctl-ci/checkov`` (or ``$PLATCTL_CHECKOV_VENV``)
  when it exists, else its own venv ``bench/.work/venv-checkov``.

A peer that cannot be installed is reported with the reason and its rows show
"n/a"; the benchmark goes on without it.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

BENCH = Path(__file__).resolve().parent
WORK = BENCH / ".work"
PEER_VENV = WORK / "venv-peers"
CHECKOV_VENV_CI = Path(os.environ.get("PLATCTL_CHECKOV_VENV", "/opt/platctl-ci/checkov"))
CHECKOV_VENV_OWN = WORK / "venv-checkov"
REPOLINTER = BENCH / "node_modules" / ".bin" / "repolinter"
PY_PEERS = ("cookiecutter", "cruft", "copier")
PLATCTL_VENV = WORK / "venv-platctl"


@dataclass(frozen=True)
class Peer:
    """A peer tool: its executable, or why it is missing."""

    name: str
    exe: str | None
    version: str = ""
    missing: str = ""

    def argv(self, *args: str) -> list[str]:
        if self.exe is None:
            raise RuntimeError(f"{self.name} is not available: {self.missing}")
        return [self.exe, *args]


def _log(message: str) -> None:
    print(f"[peers] {message}", file=sys.stderr, flush=True)


def _run(argv: list[str], cwd: Path | None = None, timeout: float = 900) -> tuple[int, str]:
    try:
        done = subprocess.run(argv, cwd=cwd, capture_output=True, text=True, timeout=timeout, check=False)
    except (OSError, subprocess.SubprocessError) as error:
        return 127, str(error)
    return done.returncode, (done.stdout + done.stderr).strip()


def _last_line(text: str) -> str:
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("WARNING: Location")]
    return lines[-1] if lines else text[-200:]


def _version(argv: list[str]) -> str:
    code, out = _run(argv, timeout=120)
    return _last_line(out) if code == 0 else ""


def _dist_version(venv: Path, dist: str) -> str:
    code = f"import importlib.metadata as m; print('{dist}', m.version('{dist}'))"
    return _version([str(venv / "bin" / "python"), "-c", code])


def _ensure_venv(venv: Path, requirements: list[str]) -> str:
    """Create ``venv`` and pip-install ``requirements``; return "" or why it failed."""
    if not (venv / "bin" / "python").exists():
        _log(f"creating {venv}")
        code, out = _run([sys.executable, "-m", "venv", str(venv)])
        if code != 0:
            return f"python -m venv failed: {_last_line(out)}"
    _log(f"pip install {' '.join(requirements)} into {venv}")
    code, out = _run([str(venv / "bin" / "pip"), "install", "-q", "--disable-pip-version-check", *requirements])
    return "" if code == 0 else f"pip install failed: {_last_line(out)}"


def install_platctl(root: Path) -> str:
    """Install the working tree at ``root`` into platctl's own venv; return its console script.

    The dependencies are installed when the venv is new or ``pyproject.toml`` changed; after
    that only platctl is reinstalled, so a run measures the code as it is now.
    """
    stamp = PLATCTL_VENV / ".pyproject.sha256"
    wanted = hashlib.sha256((root / "pyproject.toml").read_bytes()).hexdigest()
    fresh = not stamp.exists() or stamp.read_text() != wanted
    why = _ensure_venv(PLATCTL_VENV, [str(root)] if fresh else ["--no-deps", "--force-reinstall", str(root)])
    if why:
        raise RuntimeError(f"cannot install platctl into {PLATCTL_VENV}: {why}")
    stamp.write_text(wanted)
    return str(PLATCTL_VENV / "bin" / "platctl")


def python_peers() -> dict[str, Peer]:
    bins = {name: PEER_VENV / "bin" / name for name in PY_PEERS}
    if not all(b.exists() for b in bins.values()):
        why = _ensure_venv(PEER_VENV, ["-r", str(BENCH / "requirements-peers.txt")])
        if why:
            return {name: Peer(name, None, missing=why) for name in PY_PEERS}
    peers = {}
    for name, exe in bins.items():
        if not exe.exists():
            peers[name] = Peer(name, None, missing=f"{exe} missing after install")
            continue
        peers[name] = Peer(name, str(exe), version=_dist_version(PEER_VENV, name))
    return peers


def checkov() -> Peer:
    """The CI venv's checkov, else our own venv's; one that does not answer --version is passed over."""
    for venv in (CHECKOV_VENV_CI, CHECKOV_VENV_OWN):
        exe = venv / "bin" / "checkov"
        version = _version([str(exe), "--version"]) if exe.exists() else ""
        if version:
            return Peer("checkov", str(exe), version=f"checkov {version}")
    why = _ensure_venv(CHECKOV_VENV_OWN, ["checkov"])
    exe = CHECKOV_VENV_OWN / "bin" / "checkov"
    version = "" if why else _version([str(exe), "--version"])
    if not version:
        return Peer("checkov", None, missing=why or f"{exe} does not run after install")
    return Peer("checkov", str(exe), version=f"checkov {version}")


def repolinter() -> Peer:
    node, npm = shutil.which("node"), shutil.which("npm")
    if node is None or npm is None:
        return Peer("repolinter", None, missing="node or npm is not installed (apt-get install nodejs npm)")
    if not REPOLINTER.exists():
        _log("npm install --prefix bench (repolinter)")
        code, out = _run([npm, "install", "--prefix", str(BENCH), "--no-audit", "--no-fund"])
        if code != 0 or not REPOLINTER.exists():
            return Peer("repolinter", None, missing=f"npm install failed: {_last_line(out)}")
    why = _smoke_repolinter()
    if why:
        return Peer("repolinter", None, missing=why)
    meta = json.loads((BENCH / "node_modules" / "repolinter" / "package.json").read_text())
    node_version = _version([node, "--version"])
    return Peer("repolinter", str(REPOLINTER), version=f"repolinter {meta['version']} (node {node_version})")


def _smoke_repolinter() -> str:
    """Check that repolinter lints a tiny directory offline (exit 0 or 1 are both a finished lint)."""
    with tempfile.TemporaryDirectory() as tmp:
        Path(tmp, "README.md").write_text("# smoke\n")
        code, out = _run([str(REPOLINTER), "lint", tmp], timeout=120)
    if code in (0, 1) and "Lint:" in out:
        return ""
    return f"repolinter does not run here (exit {code}): {_last_line(out)}"


def all_peers() -> dict[str, Peer]:
    """Every peer, installed where needed; missing ones carry the reason."""
    WORK.mkdir(parents=True, exist_ok=True)
    peers = python_peers()
    peers["repolinter"] = repolinter()
    peers["checkov"] = checkov()
    for peer in peers.values():
        _log(f"{peer.name}: {peer.version or peer.exe}" if peer.exe else f"{peer.name}: n/a ({peer.missing})")
    return peers
