"""OpenTelemetry tracing, configured from the standard OTEL_* environment variables.

With no OTLP endpoint configured (or OTEL_SDK_DISABLED=true) nothing is exported
and the global no-op tracer stays in place, so tests need no collector.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import Request, Response
from opentelemetry import propagate, trace
from opentelemetry.trace import SpanKind, Status, StatusCode

from .settings import Settings

tracer = trace.get_tracer(__name__)
Handler = Callable[[Request], Awaitable[Response]]


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


async def trace_request(request: Request, call_next: Handler) -> Response:
    """One SERVER span per request, continuing the caller's W3C trace context."""
    context = propagate.extract(dict(request.headers))
    with tracer.start_as_current_span(
        f"{request.method} {request.url.path}", context=context, kind=SpanKind.SERVER
    ) as span:
        span.set_attribute("http.request.method", request.method)
        response = await call_next(request)
        route = getattr(request.scope.get("route"), "path", None)
        if route:
            span.update_name(f"{request.method} {route}")
            span.set_attribute("http.route", route)
        span.set_attribute("http.response.status_code", response.status_code)
        if response.status_code >= 500:
            span.set_status(Status(StatusCode.ERROR))
        return response
