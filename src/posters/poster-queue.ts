/**
 * The background side of posters: a bounded queue of TMDB look-ups worked off a few at a time, each result saved in
 * the store. Pages only enqueue; they never wait for TMDB. A 429 pauses the whole queue for its Retry-After; a
 * refused key pauses it for an hour; a run of failures (TMDB down) pauses it for a minute; a movie whose look-up
 * failed is not queued again for a while. Log lines name the movie and the reason, never a URL (the key is in it).
 */
import type { Logger } from '../log.js';
import type { PosterRecord, Store } from '../store/index.js';
import { TmdbError, TmdbRateLimitError, type TmdbClient } from './tmdb-client.js';

export interface PosterJob {
  readonly movieId: number;
  readonly tmdbId: number;
}

export interface PosterQueueOptions {
  readonly client: TmdbClient;
  readonly store: Pick<Store, 'savePoster'>;
  readonly logger: Logger;
  /** Look-ups at once (default 2). */
  readonly concurrency?: number;
  /** Jobs waiting at most (default 500); more are refused and asked for again by a later page. */
  readonly maxQueued?: number;
  /** A movie whose look-up failed is refused this long (default 10 minutes). */
  readonly failureCooldownMs?: number;
  /** Told of every record saved (the in-memory cache of the posters service). */
  readonly onSaved?: (record: PosterRecord) => void;
  readonly now?: () => number;
}

export interface PosterQueue {
  /** Queues a look-up; false when it is queued or running already, cooling down after a failure, or the queue is full. */
  enqueue(job: PosterJob): boolean;
  /** Jobs waiting (not counting those running). */
  readonly size: number;
  /** Resolves when nothing is waiting or running (tests; a paused queue with jobs is not idle). */
  idle(): Promise<void>;
  /** Takes no more jobs, drops the waiting ones, waits for those running. */
  stop(): Promise<void>;
}

const UNAUTHORIZED_PAUSE_MS = 60 * 60_000;
const FAILURE_RUN = 5;
const FAILURE_RUN_PAUSE_MS = 60_000;

export function createPosterQueue(options: PosterQueueOptions): PosterQueue {
  const { client, store, logger, onSaved } = options;
  const concurrency = Math.max(1, options.concurrency ?? 2);
  const maxQueued = Math.max(1, options.maxQueued ?? 500);
  const cooldownMs = options.failureCooldownMs ?? 10 * 60_000;
  const now = options.now ?? Date.now;

  const waiting: PosterJob[] = [];
  const known = new Set<number>(); // movie ids waiting or running
  const failedAt = new Map<number, number>();
  let running = 0;
  let pausedUntil = 0;
  let resumeTimer: NodeJS.Timeout | null = null;
  let failuresInARow = 0;
  let stopped = false;
  let idleWaiters: (() => void)[] = [];

  const isIdle = () => running === 0 && waiting.length === 0;
  const settleIdle = () => {
    if (!isIdle()) return;
    const waiters = idleWaiters;
    idleWaiters = [];
    for (const resolve of waiters) resolve();
  };

  const pause = (ms: number) => {
    pausedUntil = Math.max(pausedUntil, now() + ms);
    if (resumeTimer) clearTimeout(resumeTimer);
    resumeTimer = setTimeout(() => {
      resumeTimer = null;
      pump();
    }, Math.max(0, pausedUntil - now()));
    resumeTimer.unref();
  };

  const pump = () => {
    if (stopped) return;
    if (now() < pausedUntil) {
      if (!resumeTimer) pause(0);
      return;
    }
    while (running < concurrency && waiting.length > 0 && now() >= pausedUntil) {
      const job = waiting.shift()!;
      running++;
      void work(job).finally(() => {
        running--;
        if (!waiting.some((j) => j.movieId === job.movieId)) known.delete(job.movieId);
        pump();
        settleIdle();
      });
    }
  };

  async function work(job: PosterJob): Promise<void> {
    const log = { movieId: job.movieId, tmdbId: job.tmdbId };
    try {
      const answer = await client.posterPath(job.tmdbId);
      failuresInARow = 0;
      const record: PosterRecord = { movieId: job.movieId, path: answer.kind === 'found' ? answer.path : null, checkedAt: now() };
      await store.savePoster(record);
      onSaved?.(record);
      logger.debug({ ...log, found: record.path !== null }, 'poster looked up');
    } catch (err) {
      if (err instanceof TmdbRateLimitError) {
        // Back at the front; everyone waits.
        if (!stopped) waiting.unshift(job);
        logger.warn({ ...log, retryAfterMs: err.retryAfterMs }, 'TMDB is rate limiting: poster look-ups paused');
        pause(err.retryAfterMs);
        return;
      }
      failedAt.set(job.movieId, now());
      if (err instanceof TmdbError && err.status === 401) {
        logger.error({ status: 401 }, 'TMDB refused the API key: generated posters only, trying again in an hour');
        pause(UNAUTHORIZED_PAUSE_MS);
        return;
      }
      const reason = err instanceof Error ? err.message : String(err);
      logger.warn({ ...log, reason }, 'poster look-up failed');
      if (++failuresInARow >= FAILURE_RUN) {
        failuresInARow = 0;
        logger.warn({ pauseMs: FAILURE_RUN_PAUSE_MS }, 'poster look-ups keep failing: paused');
        pause(FAILURE_RUN_PAUSE_MS);
      }
    }
  }

  return {
    enqueue(job) {
      if (stopped || known.has(job.movieId) || waiting.length >= maxQueued) return false;
      const failed = failedAt.get(job.movieId);
      if (failed !== undefined) {
        if (now() - failed < cooldownMs) return false;
        failedAt.delete(job.movieId);
      }
      known.add(job.movieId);
      waiting.push(job);
      pump();
      return true;
    },
    get size() {
      return waiting.length;
    },
    idle() {
      if (isIdle()) return Promise.resolve();
      return new Promise((resolve) => idleWaiters.push(resolve));
    },
    async stop() {
      stopped = true;
      if (resumeTimer) clearTimeout(resumeTimer);
      resumeTimer = null;
      waiting.length = 0;
      known.clear();
      if (running > 0) await new Promise<void>((resolve) => idleWaiters.push(resolve));
      settleIdle();
    },
  };
}
