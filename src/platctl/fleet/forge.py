"""Opening the pull (GitHub) or merge (GitLab) request for an upgrade branch through the forge's REST API.

The token comes from the environment (``GITHUB_TOKEN`` / ``GITLAB_TOKEN``) and
is sent only to the API URL (``--forge-url``, else ``$GITHUB_API_URL`` /
``$CI_API_V4_URL`` as the forges' own CI sets them, else the public API).
It never appears in an error message.
"""

from __future__ import annotations

import json
import os
import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any

from platctl.errors import PlatctlError, UserError

PROVIDERS = ("github", "gitlab")
TOKEN_ENV = {"github": "GITHUB_TOKEN", "gitlab": "GITLAB_TOKEN"}
URL_ENV = {"github": "GITHUB_API_URL", "gitlab": "CI_API_V4_URL"}
DEFAULT_URL = {"github": "https://api.github.com", "gitlab": "https://gitlab.com/api/v4"}
REMOTE = re.compile(r"^(?:[\w+.-]+://(?:[^@/]+@)?[^/]+(?::\d+)?/|[\w.-]+@[\w.-]+:)(?P<path>.+?)(?:\.git)?/?$")


@dataclass(frozen=True)
class Forge:
    provider: str
    api_url: str
    token: str

    def __repr__(self) -> str:  # never show the token
        return f"Forge({self.provider!r}, {self.api_url!r})"


def forge_from_env(provider: str, api_url: str | None = None) -> Forge:
    """The forge to talk to; a one-line error when the provider is unknown or the token is missing."""
    if provider not in PROVIDERS:
        raise UserError(f"unknown forge {provider!r}: choose github or gitlab")
    token = os.environ.get(TOKEN_ENV[provider], "").strip()
    if not token:
        raise UserError(f"${TOKEN_ENV[provider]} is not set: the {provider} API needs a token to open requests")
    url = api_url or os.environ.get(URL_ENV[provider]) or DEFAULT_URL[provider]
    if not url.startswith(("https://", "http://")):
        raise UserError(f"--forge-url {url!r} is not an http(s) URL")
    return Forge(provider, url.rstrip("/"), token)


def project_path(remote_url: str) -> str:
    """``owner/name`` (GitLab: ``group/sub/name``) from a remote URL; a PlatctlError when it has none."""
    match = REMOTE.match(remote_url.strip())
    if not match or "/" not in match["path"]:
        raise PlatctlError(f"cannot tell the project from the remote URL {remote_url!r}")
    return match["path"].strip("/")


def open_request(forge: Forge, project: str, head: str, base: str, title: str, body: str) -> str:
    """Open the request and return its web URL; an existing one for the same branch is not an error."""
    if forge.provider == "github":
        url = f"{forge.api_url}/repos/{project}/pulls"
        payload: dict[str, Any] = {"title": title, "head": head, "base": base, "body": body}
        headers = {"Authorization": f"Bearer {forge.token}", "Accept": "application/vnd.github+json",
                   "X-GitHub-Api-Version": "2022-11-28"}
    else:
        url = f"{forge.api_url}/projects/{urllib.parse.quote(project, safe='')}/merge_requests"
        payload = {"title": title, "source_branch": head, "target_branch": base, "description": body,
                   "remove_source_branch": True}
        headers = {"PRIVATE-TOKEN": forge.token}
    answer = _post(url, payload, headers, forge.provider)
    return str(answer.get("html_url") or answer.get("web_url") or "")


def _post(url: str, payload: dict[str, Any], headers: dict[str, str], provider: str) -> dict[str, Any]:
    request = urllib.request.Request(url, data=json.dumps(payload).encode(), method="POST", headers={
        **headers, "Content-Type": "application/json", "User-Agent": "platctl-fleet"})
    try:
        with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310 - http(s) only, checked above
            data = json.loads(response.read() or b"{}")
    except urllib.error.HTTPError as error:
        raise PlatctlError(f"{provider} API {error.code}: {_message(error)}") from None
    except (urllib.error.URLError, OSError, ValueError) as error:
        raise PlatctlError(f"{provider} API unreachable: {getattr(error, 'reason', error)}") from None
    return data if isinstance(data, dict) else {}


def _message(error: urllib.error.HTTPError) -> str:
    try:
        data = json.loads(error.read() or b"{}")
    except ValueError:
        return str(error.reason)
    message = data.get("message") if isinstance(data, dict) else None
    detail = data.get("errors") if isinstance(data, dict) else None
    text = str(message or error.reason)
    if isinstance(detail, list) and detail and isinstance(detail[0], dict) and detail[0].get("message"):
        text += f" ({detail[0]['message']})"
    return text.splitlines()[0] if text else str(error.code)
