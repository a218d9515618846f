// Settings come from the environment only; secrets are never committed.
export const SERVICE_NAME = '{{ cookiecutter.service_name }}';

const LEVELS = ['debug', 'info', 'warn', 'error'];

function seconds(env, name, fallback) {
  const value = Number(env[name] ?? fallback);
  if (!Number.isFinite(value) || value < 0) throw new Error(`${name} must be a number of seconds, got ${JSON.stringify(env[name])}`);
  return value;
}

export function loadConfig(env = process.env) {
  const port = Number.parseInt(env.PORT ?? '{{ cookiecutter.port }}', 10);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`PORT must be a TCP port (0 picks a free one), got ${JSON.stringify(env.PORT)}`);
  }
  const logLevel = (env.LOG_LEVEL ?? 'info').toLowerCase();
  if (!LEVELS.includes(logLevel)) {
    throw new Error(`LOG_LEVEL must be one of ${LEVELS.join(', ')}`);
  }
  return Object.freeze({
    port,
    host: env.HOST ?? '0.0.0.0',
    logLevel,
    appEnv: env.APP_ENV ?? 'local',
    otlpEndpoint: env.OTEL_EXPORTER_OTLP_ENDPOINT || null,
    tracingDisabled: (env.OTEL_SDK_DISABLED ?? '').toLowerCase() === 'true',
    // After SIGTERM: /readyz answers 503 for drainSeconds while requests are still served,
    // then the server stops accepting and gives in-flight requests shutdownTimeoutSeconds.
    drainSeconds: seconds(env, 'SHUTDOWN_DRAIN_SECONDS', '5'),
    shutdownTimeoutSeconds: seconds(env, 'SHUTDOWN_TIMEOUT_SECONDS', '15'),
  });
}

// One JSON object per line on stdout, at or above the configured level.
export function createLogger(level = 'info') {
  const threshold = LEVELS.indexOf(level);
  const log = (name) => (message, fields = {}) => {
    if (LEVELS.indexOf(name) < threshold) return;
    process.stdout.write(`${JSON.stringify({ time: new Date().toISOString(), level: name, message, ...fields })}\n`);
  };
  return Object.fromEntries(LEVELS.map((name) => [name, log(name)]));
}
