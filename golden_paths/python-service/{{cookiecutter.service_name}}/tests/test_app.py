"""The service's own tests: run with ``pip install -e '.[test]' && pytest``."""

from __future__ import annotations

import concurrent.futures
import contextlib
import json
import logging
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.trace import SpanKind

from {{ cookiecutter.__package_name }}.app import create_app
from {{ cookiecutter.__package_name }}.logs import JsonFormatter
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


def test_head_is_served_wherever_get_is(client: TestClient) -> None:
    for path in ("/", "/healthz", "/readyz", "/metrics"):
        response = client.head(path)
        assert response.status_code == 200, path
        assert response.content == b"", path


def test_metrics_have_no_created_series(client: TestClient) -> None:
    client.get("/")
    assert "_created" not in client.get("/metrics").text


def test_logs_are_one_json_object_per_line() -> None:
    record = logging.LogRecord("uvicorn.error", logging.WARNING, "x.py", 1, "port %s", (80,), None)
    entry = json.loads(JsonFormatter().format(record))
    assert entry["level"] == "warning" and entry["message"] == "port 80"
    assert entry["logger"] == "uvicorn.error" and entry["time"].endswith("+00:00")


@pytest.fixture(scope="session")
def spans() -> InMemorySpanExporter:
    """An SDK tracer provider for the whole session (OpenTelemetry allows one global provider)."""
    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    trace.set_tracer_provider(provider)
    return exporter


def test_one_server_span_per_request_continuing_the_callers_trace(
    client: TestClient, spans: InMemorySpanExporter
) -> None:
    spans.clear()
    trace_id = "4bf92f3577b34da6a3ce929d0e0e4736"
    headers = {"traceparent": f"00-{trace_id}-00f067aa0ba902b7-01"}
    for path in ("/healthz", "/readyz", "/metrics", "/"):
        client.get(path, headers=headers)
    servers = [s for s in spans.get_finished_spans() if s.kind == SpanKind.SERVER]
    assert [s.attributes.get("http.route") for s in servers] == ["/"]  # probes and scrapes untraced
    assert format(servers[0].context.trace_id, "032x") == trace_id
    parent = servers[0].parent
    assert parent is not None and format(parent.span_id, "016x") == "00f067aa0ba902b7"


def test_openapi_json_is_the_apps_openapi() -> None:
    """openapi.json feeds the Backstage API entity; when routes change, regenerate it with
    python -m {{ cookiecutter.__package_name }}.openapi > openapi.json
    """
    committed = json.loads((Path(__file__).parents[1] / "openapi.json").read_text())
    assert committed == create_app(Settings.from_env({})).openapi()


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


SLOW_SERVICE = """
import asyncio, sys
from {{ cookiecutter.__package_name }}.__main__ import serve
from {{ cookiecutter.__package_name }}.app import create_app
from {{ cookiecutter.__package_name }}.settings import Settings

env = {"PORT": sys.argv[1], "HOST": "127.0.0.1", "LOG_LEVEL": "warning"}
settings = Settings.from_env({**env, "SHUTDOWN_DRAIN_SECONDS": "1"})
app = create_app(settings)


@app.get("/slow")
async def slow() -> dict[str, str]:
    await asyncio.sleep(2)
    return {"status": "done"}


serve(app, settings)
"""


def _get(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - a local test server
            return int(response.status)
    except urllib.error.HTTPError as error:
        return error.code


def test_sigterm_fails_readiness_first_while_in_flight_requests_finish() -> None:
    port = _free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([sys.executable, "-c", SLOW_SERVICE, str(port)])  # noqa: S603
    try:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            with contextlib.suppress(OSError):
                if _get(f"{base}/readyz") == 200:
                    break
            time.sleep(0.1)
        with concurrent.futures.ThreadPoolExecutor(1) as pool:
            slow = pool.submit(_get, f"{base}/slow")
            time.sleep(0.5)  # the slow request is in flight
            server.send_signal(signal.SIGTERM)
            time.sleep(0.2)
            assert _get(f"{base}/readyz") == 503
            assert slow.result(timeout=15) == 200
        assert server.wait(timeout=15) in (0, -signal.SIGTERM)
    finally:
        server.kill()
        server.wait()
