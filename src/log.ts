/** The one place loggers are made, so every part logs the same JSON lines at the configured level. */
import { pino, type DestinationStream, type Logger } from 'pino';
import type { Config } from './config.js';

export type { Logger } from 'pino';

/** A pino logger at LOG_LEVEL, or `info` (`silent` under NODE_ENV=test); `destination` lets tests read the lines. */
export function createLogger(config: Pick<Config, 'LOG_LEVEL' | 'NODE_ENV'>, destination?: DestinationStream): Logger {
  const level = config.LOG_LEVEL ?? (config.NODE_ENV === 'test' ? 'silent' : 'info');
  const options = {
    level,
    base: { app: 'moviehunter' },
    // Never write secrets a request may carry into the logs.
    redact: { paths: ['req.headers.cookie', 'req.headers.authorization', 'req.headers["x-csrf-token"]', 'res.headers["set-cookie"]'], censor: '[redacted]' },
  };
  return destination ? pino(options, destination) : pino(options);
}
