// Entry point: start tracing, serve, and drain gracefully on SIGTERM.
import { createServer } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import { pathToFileURL } from 'node:url';

import { createApp } from './app.js';
import { createLogger, loadConfig } from './config.js';
import { createMetrics } from './metrics.js';
import { startTracing, stopTracing } from './tracing.js';

export async function start(config = loadConfig(), { routes } = {}) {
  const logger = createLogger(config.logLevel);
  const tracing = await startTracing(config);
  const app = createApp({ metrics: createMetrics(), logger, routes });
  const server = createServer(app.handle);
  await new Promise((resolve) => server.listen(config.port, config.host, resolve));
  app.state.ready = true;
  logger.info('listening', { port: server.address().port, env: config.appEnv, tracing });

  // Fail readiness first, keep serving while the endpoints update, then stop accepting and
  // let in-flight requests finish; all within the pod's terminationGracePeriodSeconds.
  async function stop() {
    app.state.ready = false;
    logger.info('draining', { seconds: config.drainSeconds });
    await sleep(config.drainSeconds * 1000);
    const closed = new Promise((resolve) => server.close(resolve));
    // keep-alive connections that finish their request close too, not after keepAliveTimeout
    const sweep = setInterval(() => server.closeIdleConnections(), 100);
    const timeout = new AbortController();
    const deadline = sleep(config.shutdownTimeoutSeconds * 1000, null, { signal: timeout.signal })
      .then(() => server.closeAllConnections(), () => {});
    await Promise.race([closed, deadline]);
    timeout.abort();
    clearInterval(sweep);
    await stopTracing();
    logger.info('stopped');
  }
  return { server, app, stop };
}

// The first SIGTERM or SIGINT drains and exits; `exit` is replaceable for tests.
export function stopOnSignals(service, exit = (code) => process.exit(code)) {
  let stopping = null;
  const onSignal = () => {
    stopping ??= service.stop().then(() => exit(0), () => exit(1));
  };
  for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, onSignal);
  return () => {
    for (const signal of ['SIGTERM', 'SIGINT']) process.off(signal, onSignal);
  };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  stopOnSignals(await start());
}
