"""The HTTP application: health, readiness and metrics endpoints plus the service's own routes."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Response, status

from . import SERVICE_NAME, __version__
from .metrics import metrics_response, record_red_metrics
from .settings import Settings
from .tracing import configure_tracing, shutdown_tracing, trace_request


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings.from_env()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        configure_tracing(settings)
        app.state.ready = True
        yield
        app.state.ready = False  # fail readiness first so the pod leaves the endpoints
        shutdown_tracing()

    app = FastAPI(title=SERVICE_NAME, version=__version__, lifespan=lifespan)
    app.state.ready = False
    app.state.settings = settings
    # Starlette runs the last-added middleware first: tracing wraps metrics.
    app.middleware("http")(record_red_metrics)
    app.middleware("http")(trace_request)

    @app.get("/healthz", include_in_schema=False)
    async def healthz() -> dict[str, str]:
        """Liveness: the process is up and serving. Never checks dependencies."""
        return {"status": "ok"}

    @app.get("/readyz", include_in_schema=False)
    async def readyz(response: Response) -> dict[str, str]:
        """Readiness: startup finished and shutdown has not begun."""
        if not app.state.ready:
            response.status_code = status.HTTP_503_SERVICE_UNAVAILABLE
            return {"status": "not ready"}
        return {"status": "ready"}

    @app.get("/metrics", include_in_schema=False)
    async def metrics() -> Response:
        return metrics_response()

    @app.get("/")
    async def index() -> dict[str, str]:
        return {"service": SERVICE_NAME, "version": __version__}

    return app
