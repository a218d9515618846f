import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';

import { createApp } from '../src/app.js';
import { createLogger, loadConfig } from '../src/config.js';
import { createMetrics } from '../src/metrics.js';
import { start } from '../src/server.js';
import { startTracing, stopTracing, withRequestSpan } from '../src/tracing.js';

describe('a running service', () => {
  let service;
  let base;

  before(async () => {
    service = await start(loadConfig({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'error' }));
    base = `http://127.0.0.1:${service.server.address().port}`;
  });
  after(() => service.stop());

  test('healthz reports ok', async () => {
    const response = await fetch(`${base}/healthz`);
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { status: 'ok' });
  });

  test('readyz is ready after startup', async () => {
    const response = await fetch(`${base}/readyz`);
    assert.equal(response.status, 200);
  });

  test('metrics count requests by route and status code', async () => {
    await fetch(`${base}/`);
    await fetch(`${base}/no-such-page`);
    const text = await (await fetch(`${base}/metrics`)).text();
    assert.match(text, /http_requests_total\{method="GET",route="\/",status_code="200"\} 1/);
    assert.match(text, /http_requests_total\{method="GET",route="unmatched",status_code="404"\} 1/);
    assert.match(text, /http_request_duration_seconds_bucket\{le="0.005",method="GET",route="\/"\}/);
  });
});

test('readyz is not ready before startup', async () => {
  const app = createApp({ metrics: createMetrics(), logger: createLogger('error') });
  let status;
  const response = { headersSent: false, writeHead: (code) => { status = code; }, end: () => {} };
  await app.handle({ method: 'GET', url: '/readyz' }, response);
  assert.equal(status, 503);
});

test('settings come from the environment', () => {
  const config = loadConfig({ PORT: '9000', APP_ENV: 'dev', LOG_LEVEL: 'WARN' });
  assert.equal(config.port, 9000);
  assert.equal(config.appEnv, 'dev');
  assert.equal(config.logLevel, 'warn');
  assert.throws(() => loadConfig({ PORT: 'http' }), /PORT/);
});

test('tracing is off without an endpoint', async () => {
  assert.equal(await startTracing(loadConfig({})), false);
  assert.equal(await startTracing(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318', OTEL_SDK_DISABLED: 'true' })), false);
});

test('tracing starts with an endpoint and shuts down cleanly', async () => {
  // The SDK reads the standard OTEL_* variables itself; export nothing from a test.
  const saved = process.env.OTEL_TRACES_EXPORTER;
  process.env.OTEL_TRACES_EXPORTER = 'none';
  try {
    assert.equal(await startTracing(loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' })), true);
    assert.equal(await withRequestSpan('GET', '/', async () => 200), 200);
    await stopTracing();
  } finally {
    if (saved === undefined) delete process.env.OTEL_TRACES_EXPORTER;
    else process.env.OTEL_TRACES_EXPORTER = saved;
  }
});
