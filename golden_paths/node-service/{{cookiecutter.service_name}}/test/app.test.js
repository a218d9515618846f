import assert from 'node:assert/strict';
import { once } from 'node:events';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { after, before, describe, test } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import { tracing } from '@opentelemetry/sdk-node';

import { createApp, sendJson } from '../src/app.js';
import { createLogger, loadConfig } from '../src/config.js';
import { createMetrics } from '../src/metrics.js';
import { start, stopOnSignals } from '../src/server.js';
import { startTracing, stopTracing, withRequestSpan } from '../src/tracing.js';

describe('a running service', () => {
  let service;
  let base;

  before(async () => {
    service = await start(loadConfig({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'error', SHUTDOWN_DRAIN_SECONDS: '0' }));
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
    assert.doesNotMatch(text, /_created/);
  });

  test('HEAD is served wherever GET is, without a body', async () => {
    for (const path of ['/', '/healthz', '/readyz', '/metrics']) {
      const response = await fetch(`${base}${path}`, { method: 'HEAD' });
      assert.equal(response.status, 200, path);
      assert.equal(await response.text(), '', path);
    }
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

test('tracing continues the caller\'s trace and leaves probes and scrapes out', async () => {
  const exporter = new tracing.InMemorySpanExporter();
  const config = loadConfig({ OTEL_EXPORTER_OTLP_ENDPOINT: 'http://127.0.0.1:4318' });
  assert.equal(await startTracing(config, { spanProcessors: [new tracing.SimpleSpanProcessor(exporter)] }), true);
  const app = createApp({ metrics: createMetrics(), logger: createLogger('error') });
  app.state.ready = true;
  const server = createServer(app.handle).listen(0, '127.0.0.1');
  await once(server, 'listening');
  try {
    const base = `http://127.0.0.1:${server.address().port}`;
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const headers = { traceparent: `00-${traceId}-00f067aa0ba902b7-01` };
    for (const path of ['/healthz', '/readyz', '/metrics', '/']) await (await fetch(`${base}${path}`, { headers })).text();
    const spans = exporter.getFinishedSpans();
    assert.deepEqual(spans.map((span) => span.name), ['GET /']);
    assert.equal(spans[0].spanContext().traceId, traceId);
    assert.equal(spans[0].parentSpanContext?.spanId ?? spans[0].parentSpanId, '00f067aa0ba902b7');
    assert.equal(await withRequestSpan('GET', '/', async () => 200), 200);
  } finally {
    server.close();
    await stopTracing();
  }
});

test('SIGTERM fails readiness first while an in-flight request finishes', async () => {
  let entered;
  const inFlight = new Promise((resolve) => { entered = resolve; });
  const routes = {
    'GET /slow': async (req, res) => {
      entered();
      await sleep(800);
      return sendJson(res, 200, { status: 'done' });
    },
  };
  const config = loadConfig({ PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'error', SHUTDOWN_DRAIN_SECONDS: '0.5' });
  const service = await start(config, { routes });
  const base = `http://127.0.0.1:${service.server.address().port}`;
  let exited;
  const exit = new Promise((resolve) => { exited = resolve; });
  const release = stopOnSignals(service, exited);
  try {
    const slow = fetch(`${base}/slow`);
    await inFlight;
    process.kill(process.pid, 'SIGTERM');
    await sleep(50);
    assert.equal((await fetch(`${base}/readyz`)).status, 503);
    const response = await slow;
    assert.equal(response.status, 200);
    assert.deepEqual(await response.json(), { status: 'done' });
    assert.equal(await exit, 0);
    await assert.rejects(fetch(`${base}/healthz`));
  } finally {
    release();
  }
});

test('openapi.yaml documents every route of the service', async () => {
  const spec = await readFile(new URL('../openapi.yaml', import.meta.url), 'utf8');
  assert.match(spec, /^openapi: 3\.\d+\.\d+$/m);
  for (const path of ['/']) assert.match(spec, new RegExp(`^  ${path}:$`, 'm'), path);
});
