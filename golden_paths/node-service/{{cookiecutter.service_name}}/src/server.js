// Entry point: start tracing, serve, and shut down gracefully on SIGTERM.
import { createServer } from 'node:http';
import { pathToFileURL } from 'node:url';

import { createApp } from './app.js';
import { createLogger, loadConfig } from './config.js';
import { createMetrics } from './metrics.js';
import { startTracing, stopTracing } from './tracing.js';

export async function start(config = loadConfig()) {
  const logger = createLogger(config.logLevel);
  const tracing = await startTracing(config);
  const app = createApp({ metrics: createMetrics(), logger });
  const server = createServer(app.handle);
  await new Promise((resolve) => server.listen(config.port, config.host, resolve));
  app.state.ready = true;
  logger.info('listening', { port: server.address().port, env: config.appEnv, tracing });

  async function stop() {
    app.state.ready = false; // fail readiness first so the pod leaves the endpoints
    await new Promise((resolve) => server.close(resolve));
    await stopTracing();
  }
  return { server, app, stop };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { stop } = await start();
  for (const signal of ['SIGTERM', 'SIGINT']) {
    process.once(signal, () => stop().then(() => process.exit(0)));
  }
}
