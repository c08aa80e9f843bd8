/**
 * The embedded tick timer: one tick every interval, and one soon after nudge() (picks saved, a run finished).
 * Never two ticks at once in this process; a nudge during a tick runs one more right after it. Errors are
 * logged, never thrown: a failing tick must not take the web app down.
 */
import type { Logger } from '../log.js';

/** The timer functions used; tests pass fake ones and fire them by hand. */
export interface Timers {
  setTimeout(callback: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface TickTimerOptions {
  readonly tick: () => Promise<unknown>;
  /** Between two ticks when nothing nudges (TICK_SECONDS). */
  readonly intervalMs: number;
  /** After a nudge: later nudges within it join the same tick. */
  readonly debounceMs?: number;
  readonly logger: Logger;
  readonly timers?: Timers;
}

export interface TickTimer {
  /** Ticks soon (after the debounce), or right after the tick in progress. */
  nudge(): void;
  /** No more ticks; resolves when the one in progress has ended. */
  stop(): Promise<void>;
}

const realTimers: Timers = {
  setTimeout: (callback, ms) => setTimeout(callback, ms).unref(), // never what keeps the process alive
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
};

/** Starts ticking: the first tick comes after the debounce (the start-up catches up with pending users). */
export function startTickTimer(options: TickTimerOptions): TickTimer {
  const { tick, intervalMs, logger } = options;
  const debounceMs = options.debounceMs ?? 100;
  const timers = options.timers ?? realTimers;
  let handle: unknown = null;
  let handleIsNudge = false;
  let inFlight: Promise<void> | null = null;
  let again = false;
  let stopped = false;

  const schedule = (ms: number, nudge: boolean) => {
    if (stopped) return;
    if (handle !== null) timers.clearTimeout(handle);
    handleIsNudge = nudge;
    handle = timers.setTimeout(fire, ms);
  };

  function fire(): void {
    handle = null;
    if (stopped) return;
    if (inFlight) {
      again = true;
      return;
    }
    inFlight = run();
  }

  async function run(): Promise<void> {
    try {
      const began = Date.now();
      await tick();
      // One line per tick at debug: how often and where ticks run can be counted (one timer per deployment).
      logger.debug({ tookMs: Date.now() - began }, 'tick');
    } catch (err) {
      logger.error({ err }, 'tick failed');
    } finally {
      inFlight = null;
      if (again) {
        again = false;
        schedule(debounceMs, true);
      } else if (handle === null) {
        schedule(intervalMs, false);
      }
    }
  }

  schedule(debounceMs, true);
  return {
    nudge() {
      if (stopped) return;
      if (inFlight) again = true;
      else if (!(handle !== null && handleIsNudge)) schedule(debounceMs, true);
    },
    async stop() {
      stopped = true;
      if (handle !== null) timers.clearTimeout(handle);
      handle = null;
      await inFlight;
    },
  };
}
