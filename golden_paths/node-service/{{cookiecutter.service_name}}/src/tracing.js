// OpenTelemetry tracing over OTLP/HTTP, started only when OTEL_EXPORTER_OTLP_ENDPOINT is set
// (and OTEL_SDK_DISABLED is not true). The SDK reads the standard OTEL_* variables itself.
import { SpanKind, SpanStatusCode, context, propagation, trace } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';

import { SERVICE_NAME } from './config.js';

let sdk = null;

// `spanProcessors` replaces the OTLP exporter the SDK builds from the environment (tests).
export async function startTracing(config, { spanProcessors } = {}) {
  if (!config.otlpEndpoint || config.tracingDisabled) return false;
  const { NodeSDK } = await import('@opentelemetry/sdk-node');
  sdk = new NodeSDK({
    serviceName: process.env.OTEL_SERVICE_NAME ?? SERVICE_NAME,
    resource: resourceFromAttributes({ 'deployment.environment': config.appEnv }),
    instrumentations: [],
    ...(spanProcessors ? { spanProcessors } : {}),
  });
  sdk.start();
  return true;
}

export async function stopTracing() {
  if (!sdk) return;
  await sdk.shutdown();
  sdk = null;
  // unregister the global provider and propagator so tracing can start again (tests)
  trace.disable();
  propagation.disable();
}

// One server span per request, continuing the caller's W3C trace context (traceparent).
// Without a started SDK the API hands out no-op spans and extracts nothing.
export function withRequestSpan(method, route, handle, headers = {}) {
  const tracer = trace.getTracer(SERVICE_NAME);
  const parent = propagation.extract(context.active(), headers);
  return tracer.startActiveSpan(`${method} ${route}`, { kind: SpanKind.SERVER }, parent, async (span) => {
    try {
      const statusCode = await handle();
      span.setAttribute('http.request.method', method);
      span.setAttribute('http.route', route);
      span.setAttribute('http.response.status_code', statusCode);
      if (statusCode >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
      return statusCode;
    } catch (error) {
      span.recordException(error);
      span.setStatus({ code: SpanStatusCode.ERROR });
      throw error;
    } finally {
      span.end();
    }
  });
}
