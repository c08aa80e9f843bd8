/**
 * Starts MovieHunter on the embedded default: reads the config once, wires the parts, listens, and stops on SIGTERM or
 * SIGINT within SHUTDOWN_DEADLINE_MS (exit 0; exit 1 with what was left undone logged when the deadline passes, and
 * at once on a second signal). With WEB_WORKERS > 1 this process is the cluster's primary (src/bootstrap/cluster.ts)
 * and each web worker it forks runs this file too, listening on the same port and stopping on the primary's SIGTERM.
 */
import cluster from 'node:cluster';
import { ConfigError, loadConfig } from './config.js';
import { createLogger, drainStdout } from './log.js';
import { LAST_LINES_MS, SHUTDOWN_DEADLINE_MS } from './bootstrap/shutdown.js';

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  // Imported here, not above: the primary then loads none of the app (express, the store, the cloud clients).
  if (config.WEB_WORKERS > 1 && cluster.isPrimary) {
    const { runPrimary } = await import('./bootstrap/cluster.js');
    await runPrimary(config, createLogger(config));
    return;
  }
  const { workerLink } = await import('./bootstrap/cluster-worker.js');
  const { startMovieHunter } = await import('./bootstrap/movie-hunter.js');
  const link = workerLink();
  // A worker's lines say which worker and process wrote them (the primary replaces a worker by a new id and pid).
  const logger = link ? createLogger(config).child({ worker: link.id, pid: process.pid }) : createLogger(config);
  // From the start: a signal while still starting (a cluster's primary stops its workers with SIGTERM) ends the
  // process at once, as it serves nothing yet; once it serves, the stop below runs.
  let stop: ((signal: string) => void) | null = null;
  const onSignal = (signal: string): void => {
    if (stop) return stop(signal);
    logger.info({ signal }, 'stopped before it served');
    void drainStdout(LAST_LINES_MS).then(() => process.exit(0));
  };
  process.on('SIGINT', () => onSignal('SIGINT'));
  process.on('SIGTERM', () => onSignal('SIGTERM'));
  let hunter;
  try {
    hunter = await startMovieHunter(config, logger, link);
  } catch (error) {
    // Start-up problems (data missing, database unreadable) are the user's to fix: one clear line, no stack.
    logger.fatal({ err: error }, 'MovieHunter could not start');
    process.stderr.write(`MovieHunter could not start: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
  const { app, modelReady, close, unclosed } = hunter;
  const server = app.listen(config.PORT, () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.PORT;
    logger.info({ port }, `MovieHunter listens on http://localhost:${port}/`);
  });
  modelReady.then(
    () => logger.info('model in service: quick recommendations are ready'),
    (err: unknown) => logger.error({ err }, 'the start-up model could not be loaded or trained; quick recommendations answer 503'),
  );

  let deadline: NodeJS.Timeout | undefined;
  const exit = (code: number): void => {
    clearTimeout(deadline); // one exit: a stop that ends during its last lines' drain is not also a late one
    process.exitCode = code; // also when nothing is left to keep the process alive before the drain ends
    void drainStdout(LAST_LINES_MS).then(() => process.exit(code));
  };
  let stopping = false;
  stop = (signal: string): void => {
    if (stopping) {
      // In a cluster a stop can come twice (a terminal's SIGINT reaches every process, and the primary's SIGTERM
      // follows): the primary alone decides when to stop at once.
      if (link) return;
      logger.warn({ signal, undone: unclosed() }, 'stopping at once: a second signal');
      exit(1);
      return;
    }
    stopping = true;
    logger.info({ signal, deadlineMs: SHUTDOWN_DEADLINE_MS }, 'stopping');
    deadline = setTimeout(() => {
      logger.error({ undone: unclosed(), deadlineMs: SHUTDOWN_DEADLINE_MS }, 'the stop passed its deadline: exiting with work left undone');
      exit(1);
    }, SHUTDOWN_DEADLINE_MS);
    server.close();
    server.closeIdleConnections();
    close().then(
      () => {
        logger.info('stopped');
        exit(0);
      },
      (err: unknown) => {
        logger.error({ err, undone: unclosed() }, 'stopping failed');
        exit(1);
      },
    );
  };
}

void main();
