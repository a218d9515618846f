// RED metrics: request rate and errors (counter by status code) and duration (histogram).
import { Counter, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

export function createMetrics() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const requests = new Counter({
    name: 'http_requests_total',
    help: 'HTTP requests handled, by method, route template and status code.',
    labelNames: ['method', 'route', 'status_code'],
    registers: [registry],
  });
  const duration = new Histogram({
    name: 'http_request_duration_seconds',
    help: 'HTTP request duration in seconds, by method and route template.',
    labelNames: ['method', 'route'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });

  // route is the matched route template, never the raw path: bounded cardinality.
  function observe(method, route, statusCode, seconds) {
    duration.labels(method, route).observe(seconds);
    requests.labels(method, route, String(statusCode)).inc();
  }

  return { registry, observe };
}
