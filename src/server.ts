/** Starts MovieHunter on the embedded default: reads the config once, wires the parts, listens, stops cleanly. */
import { ConfigError, loadConfig } from './config.js';
import { createLogger } from './log.js';
import { startMovieHunter } from './bootstrap/movie-hunter.js';

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
  const logger = createLogger(config);
  let hunter;
  try {
    hunter = await startMovieHunter(config, logger);
  } catch (error) {
    // Start-up problems (data missing, database unreadable) are the user's to fix: one clear line, no stack.
    logger.fatal({ err: error }, 'MovieHunter could not start');
    process.stderr.write(`MovieHunter could not start: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }
  const { app, modelReady, close } = hunter;
  const server = app.listen(config.PORT, () => {
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : config.PORT;
    logger.info({ port }, `MovieHunter listens on http://localhost:${port}/`);
  });
  modelReady.then(
    () => logger.info('model in service: quick recommendations are ready'),
    (err: unknown) => logger.error({ err }, 'the start-up model could not be loaded or trained; quick recommendations answer 503'),
  );

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'stopping');
    server.close();
    server.closeIdleConnections();
    close().then(
      () => process.exit(0),
      (err: unknown) => {
        logger.error({ err }, 'stopping failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

void main();
