"""Per-entity facts in the shape Backstage Tech Insights stores, keyed by the catalog entity ref.

The document is a fact retriever's ``id``, ``version``, ``schema`` and the
``TechInsightFact`` list its handler returns (``entity`` {namespace, kind, name},
``timestamp``, ``facts``), so a ten-line retriever that reads this file feeds
scorecards the same numbers as the dashboard (see docs/fleet.md).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, TextIO

if TYPE_CHECKING:
    from platctl.fleet.reporters import ReportOptions
    from platctl.fleet.summary import FleetSummary

RETRIEVER_ID = "platctl-fleet"
RETRIEVER_VERSION = "1.0.0"

SCHEMA: dict[str, dict[str, str]] = {
    "goldenPath": {"type": "string", "description": "The golden path the service was made from"},
    "goldenPathVersion": {"type": "string", "description": "The golden-path version the service is on"},
    "versionsBehind": {"type": "integer", "description": "Released golden-path versions newer than the service's"},
    "onNewestVersion": {"type": "boolean", "description": "The service is on the newest golden-path version"},
    "maturityLevel": {"type": "string", "description": "platctl doctor maturity level: none, bronze, silver, gold"},
    "errorFindings": {"type": "integer", "description": "platctl doctor findings of severity error"},
    "warningFindings": {"type": "integer", "description": "platctl doctor findings of severity warning"},
    "waivedFindings": {"type": "integer", "description": "Findings suppressed by an active waiver"},
    "scannedAt": {"type": "datetime", "description": "When platctl fleet last scanned the service"},
}


def render(summary: FleetSummary, out: TextIO, options: ReportOptions) -> None:
    facts = [_fact(repo) for repo in summary.repos if not repo["error"]]
    document = {"id": RETRIEVER_ID, "version": RETRIEVER_VERSION, "entityFilter": [{"kind": "component"}],
                "schema": SCHEMA, "facts": facts}
    out.write(json.dumps(document, indent=2) + "\n")


def entity(ref: str) -> dict[str, str]:
    """``kind:namespace/name`` -> Tech Insights' ``{namespace, kind, name}`` (kinds are lower case there)."""
    kind, _, rest = ref.partition(":")
    namespace, _, name = rest.rpartition("/")
    return {"namespace": namespace or "default", "kind": kind.lower(), "name": name}


def _fact(repo: dict[str, Any]) -> dict[str, Any]:
    values = {
        "goldenPath": repo["golden_path"], "goldenPathVersion": repo["version"],
        "versionsBehind": repo["versions_behind"],
        "onNewestVersion": None if repo["versions_behind"] is None else repo["versions_behind"] == 0,
        "maturityLevel": repo["level"], "errorFindings": repo["errors"], "warningFindings": repo["warnings"],
        "waivedFindings": repo["waived"], "scannedAt": _scanned_at(repo),
    }
    return {"entity": entity(repo["key"]), "timestamp": _scanned_at(repo),
            "facts": {k: v for k, v in values.items() if v is not None}}


def _scanned_at(repo: dict[str, Any]) -> str:
    return str(repo.get("scanned_at") or f"{repo['day']}T00:00:00+00:00")
