"""The HTTP application: health, readiness and metrics endpoints plus the service's own routes."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Response, status
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from . import SERVICE_NAME, __version__
from .metrics import metrics_response, record_red_metrics
from .settings import Settings
from .tracing import configure_tracing, is_platform_request, shutdown_tracing


class HeadAsGet:
    """HEAD is served wherever GET is: the GET route answers, and the body is dropped."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] != "HEAD":
            await self.app(scope, receive, send)
            return

        async def send_headers_only(message: Message) -> None:
            if message["type"] == "http.response.body":
                message = {**message, "body": b""}
            await send(message)

        await self.app({**scope, "method": "GET"}, receive, send_headers_only)


def create_app(settings: Settings | None = None) -> FastAPI:
    settings = settings or Settings.from_env()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        configure_tracing(settings)
        app.state.ready = True
        yield
        app.state.ready = False  # fail readiness first so the pod leaves the endpoints
        shutdown_tracing()

    # FastAPI's native telemetry makes the one SERVER span per request; probes and scrapes
    # are left out. It stays a no-op until configure_tracing installs a provider.
    app = FastAPI(
        title=SERVICE_NAME,
        version=__version__,
        lifespan=lifespan,
        telemetry={"exclude": is_platform_request},
    )
    app.state.ready = False
    app.state.settings = settings
    app.middleware("http")(record_red_metrics)
    app.add_middleware(HeadAsGet)

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
        """The service's name and version."""
        return {"service": SERVICE_NAME, "version": __version__}

    return app
