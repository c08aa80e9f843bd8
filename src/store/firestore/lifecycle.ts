/**
 * The life cycle of one store: every call runs through `run`, which refuses calls once closed, bounds each call by a
 * deadline (the client library retries an unreachable backend for up to ten minutes on its own), maps failures to the
 * port's errors and keeps track of calls in flight so close() can let them finish before terminating the client.
 */
import type { Firestore } from '@google-cloud/firestore';
import { StoreUnavailableError } from '../errors.js';
import { toStoreError } from './errors.js';

export interface Deadlines {
  /** The longest a store call may take before it rejects with StoreUnavailableError. */
  operationMs: number;
  /** The same for ping(), the readiness check. */
  pingMs: number;
  /** How long close() waits for calls in flight before it terminates the client anyway. */
  closeMs: number;
}

export class Lifecycle {
  private closed = false;
  private closing: Promise<void> | null = null;
  private readonly inFlight = new Set<Promise<void>>();

  constructor(
    private readonly firestore: Firestore,
    private readonly deadlines: Deadlines,
  ) {}

  /** Runs `work` unless closed, within `deadlineMs`, with its failures as store errors. */
  async run<T>(what: string, work: () => Promise<T>, deadlineMs = this.deadlines.operationMs): Promise<T> {
    if (this.closed) throw new StoreUnavailableError('the Firestore store is closed');
    const pending = work();
    this.track(pending);
    try {
      return await withDeadline(pending, deadlineMs, what);
    } catch (err) {
      throw toStoreError(err, what);
    }
  }

  /** ping()'s deadline. */
  get pingMs(): number {
    return this.deadlines.pingMs;
  }

  /**
   * Refuses new calls at once, waits (bounded) for the calls in flight, then terminates the client. Idempotent.
   * Waiting matters: @google-cloud/firestore 8 loses a streamed read (a get or a query) that is between two retries
   * when the client is terminated, with an unhandled rejection.
   */
  close(): Promise<void> {
    this.closing ??= this.shutDown();
    return this.closing;
  }

  private async shutDown(): Promise<void> {
    this.closed = true;
    if (this.inFlight.size > 0) {
      let timer: NodeJS.Timeout | undefined;
      const gaveUp = new Promise<void>((resolve) => (timer = setTimeout(resolve, this.deadlines.closeMs)));
      await Promise.race([Promise.all(this.inFlight), gaveUp]);
      clearTimeout(timer);
    }
    try {
      await this.firestore.terminate();
    } catch {
      // Terminated already (a client handed in and terminated by its owner): nothing left to release.
    }
  }

  private track(pending: Promise<unknown>): void {
    const settled = pending.then(
      () => undefined,
      () => undefined,
    );
    this.inFlight.add(settled);
    void settled.then(() => this.inFlight.delete(settled));
  }
}

/** `pending`, or a StoreUnavailableError once `ms` have passed (the call itself goes on in the background). */
async function withDeadline<T>(pending: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new StoreUnavailableError(`Firestore did not answer within ${ms} ms (${what})`)), ms);
    timer.unref();
  });
  try {
    return await Promise.race([pending, late]);
  } finally {
    clearTimeout(timer);
  }
}
