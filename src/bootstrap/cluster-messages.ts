/**
 * What the primary and the web workers of a cluster (WEB_WORKERS > 1) tell each other over node:cluster's IPC channel.
 * The pipeline worker runs the tick timer and the engine; the followers serve the model it announces, hand it their
 * nudges, and pass a POST /internal/tick on to it; the primary relays (it stops the workers with SIGTERM).
 */

/** Which part a worker plays: one `pipeline` worker at a time, every other one a `follower`. */
export type WorkerRole = 'pipeline' | 'follower';

/** The environment variable the primary sets on each worker it forks to give it its role. */
export const WORKER_ROLE_ENV = 'MOVIEHUNTER_WORKER_ROLE';

export type ToPrimary =
  /** The worker listens for messages now: the primary sends it the model in service, if any. */
  | { readonly type: 'hello' }
  /** Picks changed in a follower: tick soon. */
  | { readonly type: 'nudge' }
  /** The pipeline worker put this model folder in service. */
  | { readonly type: 'model'; readonly location: string }
  /** A follower asks for one tick (POST /internal/tick). */
  | { readonly type: 'tick'; readonly id: number }
  /** The pipeline worker's answer to a tick asked by worker `to`. */
  | { readonly type: 'tick-report'; readonly id: number; readonly to: number; readonly report?: unknown; readonly error?: string };

export type ToWorker =
  | { readonly type: 'model'; readonly location: string }
  | { readonly type: 'nudge' }
  | { readonly type: 'tick'; readonly id: number; readonly from: number }
  | { readonly type: 'tick-report'; readonly id: number; readonly report?: unknown; readonly error?: string };

/** True for an object with a string `type`: what both sides check before reading a message. */
export function isMessage<T extends { type: string }>(value: unknown): value is T {
  return typeof value === 'object' && value !== null && typeof (value as { type?: unknown }).type === 'string';
}
