// OpenTelemetry tracing over OTLP/HTTP, started only when OTEL_EXPORTER_OTLP_ENDPOINT is set
// (and OTEL_SDK_DISABLED is not true). The SDK reads the standard OTEL_* variables itself.
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { resourceFromAttributes } from '@opentelemetry/resources';

import { SERVICE_NAME } from './config.js';

let sdk = null;

export async function startTracing(config) {
  if (!config.otlpEndpoint || config.tracingDisabled) return false;
  const { NodeSDK } = await import('@opentelemetry/sdk-node');
  sdk = new NodeSDK({
    serviceName: process.env.OTEL_SERVICE_NAME ?? SERVICE_NAME,
    resource: resourceFromAttributes({ 'deployment.environment': config.appEnv }),
    instrumentations: [],
  });
  sdk.start();
  return true;
}

export async function stopTracing() {
  if (sdk) await sdk.shutdown();
  sdk = null;
}

// A server span per request. Without a started SDK the API hands out no-op spans.
export function withRequestSpan(method, route, handle) {
  const tracer = trace.getTracer(SERVICE_NAME);
  return tracer.startActiveSpan(`${method} ${route}`, { kind: SpanKind.SERVER }, async (span) => {
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
