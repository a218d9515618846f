"""OpenTelemetry tracing, configured from the standard OTEL_* environment variables.

FastAPI's native telemetry makes the one SERVER span per request (continuing an inbound
W3C ``traceparent``) once an SDK tracer provider is installed; this module installs it.
With no OTLP endpoint configured (or OTEL_SDK_DISABLED=true) nothing is exported and the
global no-op provider stays in place, so tests need no collector.
"""

from __future__ import annotations

from collections.abc import MutableMapping
from typing import Any

from opentelemetry import trace

from .settings import Settings

# Kubelet probes and Prometheus scrapes: never traced; the SLO rules leave them out of the SLI.
PLATFORM_PATHS = frozenset({"/healthz", "/readyz", "/metrics"})


def is_platform_request(scope: MutableMapping[str, Any]) -> bool:
    """FastAPI's telemetry ``exclude`` hook: True for probe and scrape requests."""
    return scope.get("path") in PLATFORM_PATHS


def configure_tracing(settings: Settings) -> bool:
    """Install an SDK tracer provider with a batching OTLP/HTTP exporter; return whether it did."""
    if not settings.tracing_enabled:
        return False
    from opentelemetry.exporter.otlp.proto.http.trace_exporter import OTLPSpanExporter
    from opentelemetry.sdk.resources import Resource
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import BatchSpanProcessor

    # Resource.create() also reads OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES;
    # the exporter reads OTEL_EXPORTER_OTLP_* (endpoint, headers, timeout) itself.
    resource = Resource.create(
        {"service.name": settings.service_name, "deployment.environment": settings.environment}
    )
    provider = TracerProvider(resource=resource)
    provider.add_span_processor(BatchSpanProcessor(OTLPSpanExporter()))
    trace.set_tracer_provider(provider)
    return True


def shutdown_tracing() -> None:
    provider = trace.get_tracer_provider()
    shutdown = getattr(provider, "shutdown", None)
    if callable(shutdown):
        shutdown()
