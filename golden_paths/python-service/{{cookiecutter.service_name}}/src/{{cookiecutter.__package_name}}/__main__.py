"""Entry point: ``python -m {{ cookiecutter.__package_name }}``."""

from __future__ import annotations

import logging
import threading
from types import FrameType

import uvicorn
from fastapi import FastAPI

from .app import create_app
from .logs import logging_config
from .settings import Settings

logger = logging.getLogger(__name__)


class DrainingServer(uvicorn.Server):
    """uvicorn, but SIGTERM fails readiness first: /readyz answers 503 for the drain period
    while requests are still served, then uvicorn stops accepting and lets in-flight
    requests finish (timeout_graceful_shutdown). A second signal shuts down at once."""

    def __init__(self, config: uvicorn.Config, app: FastAPI, drain_seconds: float) -> None:
        super().__init__(config)
        self.fastapi_app = app
        self.drain_seconds = drain_seconds
        self.draining = False

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        if self.draining or self.drain_seconds <= 0:
            super().handle_exit(sig, frame)
            return
        self.draining = True
        self.fastapi_app.state.ready = False
        logger.info("draining for %ss before shutdown", self.drain_seconds)
        timer = threading.Timer(self.drain_seconds, super().handle_exit, (sig, frame))
        timer.daemon = True
        timer.start()


def serve(app: FastAPI, settings: Settings) -> None:
    config = uvicorn.Config(
        app,
        host=settings.host,
        port=settings.port,
        log_level=settings.log_level,
        log_config=logging_config(settings.log_level),
        proxy_headers=True,
        access_log=False,  # request telemetry comes from metrics and traces
        timeout_graceful_shutdown=settings.shutdown_timeout_seconds,
    )
    DrainingServer(config, app, settings.shutdown_drain_seconds).run()


def main() -> None:
    settings = Settings.from_env()
    serve(create_app(settings), settings)


if __name__ == "__main__":
    main()
