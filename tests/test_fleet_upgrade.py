"""platctl fleet upgrade: a branch per repository, pushed, and the pull/merge request opened through the forge API.

The forge is a local ``http.server`` that records every request, so the test
checks what platctl sends (path, token header, body) without any network.
"""

from __future__ import annotations

import json
import subprocess
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer
from pathlib import Path
from typing import Any

import pytest

from cli_runner import run_cli
from fleet_support import BASE_VERSION, newest_version, render_service

TOKEN = "test-token-123"


def git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, check=True).stdout.strip()


@pytest.fixture(scope="module")
def upstream_version() -> str:
    version = newest_version("python-service")
    if version == BASE_VERSION:
        pytest.skip("python-service has no version newer than 1.0.0 to upgrade to")
    return version


def service_with_remote(root: Path, name: str) -> tuple[Path, Path]:
    """A service at 1.0.0 whose origin fetches from GitHub's URL but pushes to a local bare repository."""
    service = render_service(root, "python-service", name, git=True)
    bare = root / f"{name}.git"
    git(root, "init", "-q", "--bare", str(bare))
    git(service, "remote", "add", "origin", f"https://github.com/acme/{name}.git")
    git(service, "config", "remote.origin.pushurl", str(bare))
    git(service, "push", "-q", "origin", "main")
    return service, bare


class Forge:
    """A fake GitHub/GitLab API: records requests, answers with a configurable status."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.status = 201
        forge = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                forge.requests.append(
                    {"path": self.path, "headers": {k.lower(): v for k, v in self.headers.items()}, "body": body}
                )
                gitlab = "merge_requests" in self.path
                answer = {"web_url": "https://forge.test/mr/1"} if gitlab else {"html_url": "https://forge.test/pr/1"}
                if forge.status >= 400:
                    answer = {"message": "Bad credentials"}
                data = json.dumps(answer).encode()
                self.send_response(forge.status)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args: object) -> None:
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture()
def forge() -> Iterator[Forge]:
    fake = Forge()
    yield fake
    fake.server.shutdown()


def test_upgrade_commits_on_a_branch_pushes_it_and_opens_a_pull_request(
    tmp_path: Path,
    forge: Forge,
    upstream_version: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    service, bare = service_with_remote(tmp_path, "payments-api")
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    done = run_cli(
        capsys,
        monkeypatch,
        "fleet",
        "upgrade",
        str(service),
        "--to",
        upstream_version,
        "--open-request",
        "github",
        "--forge-url",
        forge.url,
    )
    branch = f"platctl/upgrade-python-service-{upstream_version}"
    assert done.code == 0, done
    assert f"upgraded   {service}: 1.0.0 -> {upstream_version} on {branch}, pushed, https://forge.test/pr/1" in done.out
    assert "1 upgraded cleanly, 0 with conflicts, 0 already current, 0 failed." in done.out
    assert git(service, "branch", "--show-current") == "main" and git(service, "status", "--porcelain") == ""
    assert f"version: {upstream_version}" in git(service, "show", f"{branch}:.platctl.yaml")
    assert git(bare, "rev-parse", branch) == git(service, "rev-parse", branch)
    [request] = forge.requests
    assert request["path"] == "/repos/acme/payments-api/pulls"
    assert request["headers"]["authorization"] == f"Bearer {TOKEN}"
    assert request["headers"]["x-github-api-version"] == "2022-11-28"
    assert request["body"]["head"] == branch and request["body"]["base"] == "main"
    assert upstream_version in request["body"]["title"]


def test_gitlab_gets_a_merge_request_with_its_own_token_header(
    tmp_path: Path,
    forge: Forge,
    upstream_version: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    service, _ = service_with_remote(tmp_path, "search-api")
    git(service, "remote", "set-url", "origin", "git@gitlab.example.com:acme/platform/search-api.git")
    git(service, "config", "remote.origin.pushurl", str(tmp_path / "search-api.git"))
    monkeypatch.setenv("GITLAB_TOKEN", TOKEN)
    done = run_cli(
        capsys,
        monkeypatch,
        "fleet",
        "upgrade",
        str(service),
        "--to",
        upstream_version,
        "--open-request",
        "gitlab",
        "--forge-url",
        forge.url + "/api/v4",
    )
    assert done.code == 0 and "https://forge.test/mr/1" in done.out, done
    [request] = forge.requests
    assert request["path"] == "/api/v4/projects/acme%2Fplatform%2Fsearch-api/merge_requests"
    assert request["headers"]["private-token"] == TOKEN and "authorization" not in request["headers"]
    assert (
        request["body"]["source_branch"].startswith("platctl/upgrade-") and request["body"]["target_branch"] == "main"
    )


def test_a_refused_request_keeps_the_pushed_branch_and_says_why(
    tmp_path: Path,
    forge: Forge,
    upstream_version: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    service, bare = service_with_remote(tmp_path, "identity-api")
    forge.status = 401
    monkeypatch.setenv("GITHUB_TOKEN", TOKEN)
    done = run_cli(
        capsys,
        monkeypatch,
        "fleet",
        "upgrade",
        str(service),
        "--to",
        upstream_version,
        "--open-request",
        "github",
        "--forge-url",
        forge.url,
    )
    assert done.code == 0 and "pushed (request not opened: github API 401: Bad credentials)" in done.out, done
    assert TOKEN not in done.out + done.err
    assert git(bare, "branch", "--list", "platctl/*")


def test_the_summary_counts_conflicts_current_and_failed_repositories(
    tmp_path: Path, upstream_version: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    clean = render_service(tmp_path / "a", "python-service", "clean-api", git=True)
    clashing = render_service(tmp_path / "b", "python-service", "clash-api", git=True)
    (clashing / "Dockerfile").write_text("FROM scratch\nCOPY app /app\n")
    git(clashing, "commit", "-qam", "our own Dockerfile")
    done = run_cli(
        capsys,
        monkeypatch,
        "fleet",
        "upgrade",
        str(clean),
        str(clashing),
        str(tmp_path / "gone"),
        "--to",
        upstream_version,
    )
    assert done.code == 1, done
    assert "conflicts  " in done.out and "Dockerfile" in done.out
    assert "no remote 'origin': not pushed" in done.out
    assert f"failed     {tmp_path / 'gone'}: " in done.out
    assert "1 upgraded cleanly, 1 with conflicts, 0 already current, 1 failed." in done.out
    assert git(clashing, "branch", "--list", "platctl/*") == "" and git(clashing, "status", "--porcelain") == ""
    current = run_cli(capsys, monkeypatch, "fleet", "upgrade", str(clashing), "--to", BASE_VERSION)
    assert current.code == 0 and "0 upgraded cleanly, 0 with conflicts, 1 already current" in current.out, current


def test_a_request_without_a_token_is_refused_before_any_work(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("GITHUB_TOKEN", raising=False)
    done = run_cli(capsys, monkeypatch, "fleet", "upgrade", str(tmp_path), "--to", "9.9.9", "--open-request", "github")
    assert done.code == 2 and "$GITHUB_TOKEN is not set" in done.err and done.err.count("\n") == 1, done


@pytest.mark.parametrize(
    ("remote", "project"),
    [
        ("https://github.com/acme/payments-api.git", "acme/payments-api"),
        ("git@github.com:acme/payments-api.git", "acme/payments-api"),
        ("ssh://git@gitlab.example.com:2222/acme/platform/search-api.git", "acme/platform/search-api"),
        ("https://ci-token:secret@gitlab.example.com/acme/search-api", "acme/search-api"),
    ],
)
def test_the_project_comes_from_the_remote_url(remote: str, project: str) -> None:
    from platctl.fleet.forge import project_path

    assert project_path(remote) == project


def test_a_variable_new_in_the_target_version_takes_the_organisation_default(
    tmp_path: Path, upstream_version: str, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    service, _ = service_with_remote(tmp_path, "orders-api")
    action = "acme/platctl-action@" + "d" * 40
    (tmp_path / "config/platctl").mkdir(parents=True)
    (tmp_path / "config/platctl/config.yaml").write_text(f"defaults:\n  platctl_action: {action}\n")
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "config"))
    done = run_cli(capsys, monkeypatch, "fleet", "upgrade", str(service), "--to", upstream_version)
    assert done.code == 0, done
    record = git(service, "show", f"platctl/upgrade-python-service-{upstream_version}:.platctl.yaml")
    assert f"platctl_action: {action}" in record
