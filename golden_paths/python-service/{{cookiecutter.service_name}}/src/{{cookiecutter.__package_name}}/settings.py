"""Runtime settings, read from environment variables only.

Secrets never live in this repository: the platform injects them at runtime
(Kubernetes mounts the ExternalSecret-managed Secret), and this module only
reads plain environment variables.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

from . import SERVICE_NAME


def _flag(value: str | None) -> bool:
    return (value or "").strip().lower() in ("1", "true", "yes", "on")


@dataclass(frozen=True)
class Settings:
    service_name: str
    environment: str
    host: str
    port: int
    log_level: str
    tracing_enabled: bool
    # After SIGTERM: /readyz answers 503 for shutdown_drain_seconds while requests are still
    # served, then in-flight requests get shutdown_timeout_seconds to finish.
    shutdown_drain_seconds: float
    shutdown_timeout_seconds: int

    @classmethod
    def from_env(cls, env: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if env is None else env
        traces_endpoint = env.get("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")
        endpoint = traces_endpoint or env.get("OTEL_EXPORTER_OTLP_ENDPOINT")
        return cls(
            service_name=env.get("OTEL_SERVICE_NAME", SERVICE_NAME),
            environment=env.get("APP_ENV", "local"),
            host=env.get("HOST", "0.0.0.0"),  # noqa: S104 - the container's only interface
            port=int(env.get("PORT", "{{ cookiecutter.port }}")),
            log_level=env.get("LOG_LEVEL", "info").lower(),
            tracing_enabled=bool(endpoint) and not _flag(env.get("OTEL_SDK_DISABLED")),
            shutdown_drain_seconds=float(env.get("SHUTDOWN_DRAIN_SECONDS", "5")),
            shutdown_timeout_seconds=int(env.get("SHUTDOWN_TIMEOUT_SECONDS", "15")),
        )
