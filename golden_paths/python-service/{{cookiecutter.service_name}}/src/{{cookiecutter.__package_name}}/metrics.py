"""RED metrics: request rate and errors (counter by status code) and duration (histogram)."""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable

from fastapi import Request, Response
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    REGISTRY,
    Counter,
    Histogram,
    disable_created_metrics,
    generate_latest,
)

# No *_created series: they double the series count and no dashboard or rule reads them.
disable_created_metrics()

REQUESTS = Counter(
    "http_requests_total",
    "HTTP requests handled, by method, route template and status code.",
    ["method", "route", "status_code"],
)
DURATION = Histogram(
    "http_request_duration_seconds",
    "HTTP request duration in seconds, by method and route template.",
    ["method", "route"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
)

Handler = Callable[[Request], Awaitable[Response]]


def route_template(request: Request) -> str:
    """The matched route's template (``/items/{id}``), never the raw path: bounded cardinality."""
    route = request.scope.get("route")
    return getattr(route, "path", "unmatched")


async def record_red_metrics(request: Request, call_next: Handler) -> Response:
    start = time.perf_counter()
    status_code = 500
    try:
        response = await call_next(request)
        status_code = response.status_code
        return response
    finally:
        route = route_template(request)
        DURATION.labels(request.method, route).observe(time.perf_counter() - start)
        REQUESTS.labels(request.method, route, str(status_code)).inc()


def metrics_response() -> Response:
    return Response(generate_latest(REGISTRY), media_type=CONTENT_TYPE_LATEST)
