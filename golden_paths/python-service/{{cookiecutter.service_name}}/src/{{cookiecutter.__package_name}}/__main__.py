"""Entry point: ``python -m {{ cookiecutter.__package_name }}``."""

from __future__ import annotations

import uvicorn

from .app import create_app
from .settings import Settings


def main() -> None:
    settings = Settings.from_env()
    uvicorn.run(
        create_app(settings),
        host=settings.host,
        port=settings.port,
        log_level=settings.log_level,
        proxy_headers=True,
        access_log=False,  # request telemetry comes from metrics and traces
        timeout_graceful_shutdown=20,
    )


if __name__ == "__main__":
    main()
