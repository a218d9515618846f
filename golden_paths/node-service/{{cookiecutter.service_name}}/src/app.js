// The HTTP application: health, readiness and metrics endpoints plus the service's own routes.
import { SERVICE_NAME } from './config.js';
import { withRequestSpan } from './tracing.js';

const VERSION = '0.1.0';

// Kubelet probes and Prometheus scrapes: never traced; the SLO rules leave them out of the SLI.
export const PLATFORM_ROUTES = new Set(['/healthz', '/readyz', '/metrics']);

export function sendJson(response, statusCode, body) {
  response.writeHead(statusCode, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
  return statusCode;
}

// `routes` adds the service's own handlers: { 'GET /path': (request, response) => statusCode }.
export function createApp({ metrics, logger, routes = {} }) {
  const state = { ready: false };

  const handlers = {
    // Liveness: the process is up and serving. Never checks dependencies.
    'GET /healthz': (req, res) => sendJson(res, 200, { status: 'ok' }),
    // Readiness: startup finished and shutdown has not begun.
    'GET /readyz': (req, res) =>
      state.ready ? sendJson(res, 200, { status: 'ready' }) : sendJson(res, 503, { status: 'not ready' }),
    'GET /metrics': async (req, res) => {
      const body = await metrics.registry.metrics();
      res.writeHead(200, { 'content-type': metrics.registry.contentType });
      res.end(body);
      return 200;
    },
    'GET /': (req, res) => sendJson(res, 200, { service: SERVICE_NAME, version: VERSION }),
    ...routes,
  };

  function respond(request, response, key) {
    const handler = handlers[key];
    return handler ? handler(request, response) : sendJson(response, 404, { detail: 'Not Found' });
  }

  async function handle(request, response) {
    const start = process.hrtime.bigint();
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    // HEAD is served wherever GET is; node:http sends the headers without the body.
    const method = request.method === 'HEAD' ? 'GET' : request.method;
    const key = `${method} ${path}`;
    const route = key in handlers ? path : 'unmatched';
    let statusCode = 500;
    try {
      statusCode = PLATFORM_ROUTES.has(route)
        ? await respond(request, response, key)
        : await withRequestSpan(request.method, route, () => respond(request, response, key), request.headers);
    } catch (error) {
      logger.error('request failed', { route, error: String(error) });
      if (!response.headersSent) sendJson(response, 500, { detail: 'Internal Server Error' });
    } finally {
      const seconds = Number(process.hrtime.bigint() - start) / 1e9;
      metrics.observe(request.method, route, statusCode, seconds);
    }
  }

  return { handle, state };
}
