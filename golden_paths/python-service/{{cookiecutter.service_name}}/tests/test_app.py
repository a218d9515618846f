"""The service's own tests: run with ``pip install -e '.[test]' && pytest``."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from {{ cookiecutter.__package_name }}.app import create_app
from {{ cookiecutter.__package_name }}.settings import Settings


@pytest.fixture
def client() -> Iterator[TestClient]:
    settings = Settings.from_env({})
    with TestClient(create_app(settings)) as test_client:
        yield test_client


def test_healthz_reports_ok(client: TestClient) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_readyz_is_ready_after_startup(client: TestClient) -> None:
    assert client.get("/readyz").status_code == 200


def test_readyz_is_not_ready_before_startup() -> None:
    # without the context manager the lifespan (startup) never runs
    client = TestClient(create_app(Settings.from_env({})))
    assert client.get("/readyz").status_code == 503


def test_metrics_count_requests_by_status_code(client: TestClient) -> None:
    client.get("/")
    client.get("/does-not-exist")
    body = client.get("/metrics").text
    assert 'http_requests_total{method="GET",route="/",status_code="200"}' in body
    assert 'route="unmatched",status_code="404"' in body
    assert "http_request_duration_seconds_bucket" in body


def test_settings_come_from_the_environment() -> None:
    settings = Settings.from_env({"PORT": "9999", "APP_ENV": "staging", "LOG_LEVEL": "DEBUG"})
    assert (settings.port, settings.environment, settings.log_level) == (9999, "staging", "debug")


def test_tracing_is_off_without_an_endpoint() -> None:
    endpoint = {"OTEL_EXPORTER_OTLP_ENDPOINT": "http://collector:4318"}
    assert Settings.from_env({}).tracing_enabled is False
    assert Settings.from_env(endpoint).tracing_enabled is True
    assert Settings.from_env({**endpoint, "OTEL_SDK_DISABLED": "true"}).tracing_enabled is False
