/** The one place loggers are made, so every part logs the same JSON lines at the configured level. */
import { once } from 'node:events';
import { setTimeout as sleep } from 'node:timers/promises';
import { pino, type DestinationStream, type Logger } from 'pino';
import type { Config } from './config.js';

export type { Logger } from 'pino';

/** Log lines waiting for a stdout nobody reads, at most; later ones are dropped (and counted) rather than kept. */
const MAX_STDOUT_BACKLOG = 8 * 1024 * 1024;

/** A pino logger at LOG_LEVEL, or `info` (`silent` under NODE_ENV=test); `destination` lets tests read the lines. */
export function createLogger(config: Pick<Config, 'LOG_LEVEL' | 'NODE_ENV'>, destination?: DestinationStream): Logger {
  const level = config.LOG_LEVEL ?? (config.NODE_ENV === 'test' ? 'silent' : 'info');
  const options = {
    level,
    base: { app: 'moviehunter' },
    // Never write secrets a request may carry into the logs.
    redact: { paths: ['req.headers.cookie', 'req.headers.authorization', 'req.headers["x-csrf-token"]', 'res.headers["set-cookie"]'], censor: '[redacted]' },
  };
  return pino(options, destination ?? stdoutDestination());
}

/**
 * Log lines to a stream that never blocks the process: process.stdout (libuv queues what a full pipe does not take),
 * not pino's default fd-1 writer, whose writes to a pipe that is full and never read again block the thread forever
 * (or, asynchronous, hold up exit). A broken pipe (EPIPE: the reader is gone) ends the logging; past
 * MAX_STDOUT_BACKLOG unwritten bytes, lines are dropped and the count is logged once the pipe drains.
 */
export function stdoutDestination(stream: NodeJS.WriteStream = process.stdout, maxBacklog = MAX_STDOUT_BACKLOG): DestinationStream {
  let broken = false;
  let dropped = 0;
  stream.on('error', () => {
    broken = true;
  });
  return {
    write(line: string) {
      if (broken) return;
      if (stream.writableLength > maxBacklog) {
        dropped++;
        return;
      }
      if (dropped > 0) {
        stream.write(`${JSON.stringify({ level: 40, time: Date.now(), app: 'moviehunter', dropped, msg: 'log lines dropped: stdout was not read' })}\n`);
        dropped = 0;
      }
      stream.write(line);
    },
  };
}

/** Resolves once stdout has written what it holds, or after `ms`, whichever is first (before an exit, never blocking it). */
export async function drainStdout(ms: number, stream: NodeJS.WriteStream = process.stdout): Promise<void> {
  if (stream.writableLength === 0 || stream.destroyed) return;
  const ac = new AbortController();
  await Promise.race([once(stream, 'drain', { signal: ac.signal }), sleep(ms, undefined, { signal: ac.signal })]).catch(() => undefined);
  ac.abort();
}
