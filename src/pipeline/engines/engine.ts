/**
 * What the tick needs from an engine (inprocess now; spark-local and dataproc later). submit() returns as soon
 * as the work is handed over and the tick polls status() on later ticks: nothing ever waits for a training.
 * An engine keeps nothing in memory that a restart would need: a run it cannot account for is `failed`, and the
 * store's lease retries its users either way.
 */
import type { RunFolder } from '../run-files.js';

/** One run as an engine sees it: its id and its folder (inputs written, outputs to come). */
export interface RunHandle {
  readonly id: string;
  readonly folder: RunFolder;
}

/**
 * `failed`: the run itself failed (the engine's error, a crash of the job, a timeout): it spends its users' attempts.
 * `interrupted`: the run was stopped without an outcome by no fault of its own (the app shut down or crashed): it
 * spends nothing, and its users go back to the queue.
 */
export type EngineStatus =
  | { readonly state: 'running' }
  | { readonly state: 'succeeded' }
  | { readonly state: 'failed'; readonly reason: string }
  | { readonly state: 'interrupted'; readonly reason: string };

export interface Engine {
  /** Recorded with each run and in each model ("inprocess", "spark-local", "dataproc"). */
  readonly name: string;
  /** Starts the run and returns at once; rejects when it could not be started. */
  submit(run: RunHandle): Promise<void>;
  /** Where the run is; `succeeded` means the folder's outputs are final (`_SUCCESS` written). */
  status(run: RunHandle): Promise<EngineStatus>;
  /** Stops the run if it is still going (timeout); best effort, never throws for an unknown run. */
  cancel?(run: RunHandle, reason: string): Promise<void>;
  /** Stops everything this engine started in this process (shutdown, tests); those runs end `interrupted`. */
  close?(): Promise<void>;
}

/** An engine whose runs can be awaited: only for start-up work (the base model) and tests, never in the tick. */
export interface AwaitableEngine extends Engine {
  /** Resolves with the final status once the run has finished (at once when it is not running here). */
  settled(run: RunHandle): Promise<EngineStatus>;
}
