/**
 * The embedded engine: each run trains in its own worker thread (the web app keeps answering), with a timeout
 * that terminates the worker. Only a running worker lives in memory; a finished run is told by its folder
 * (`_SUCCESS`, or `_FAILED` with the reason, which this engine writes for every failure: error, crash, timeout).
 */
import { isAbsolute } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { Logger } from '../../log.js';
import type { AwaitableEngine, EngineStatus, RunHandle } from './engine.js';
import { INPROCESS_ENGINE } from './inprocess-job.js';
import type { InprocessWorkerData, InprocessWorkerMessage } from './inprocess-worker.js';
import { LocalJobs } from './local-jobs.js';
import { SUCCESS_FILE } from '../run-folder.js';
import { isFinished } from './run-outcome.js';

export interface InprocessEngineOptions {
  /** A worker still running after this long is terminated and its run failed. */
  readonly timeoutMs: number;
  /** ALS threads inside the worker (trainAls' default when unset). */
  readonly threads?: number;
  readonly logger?: Logger;
  /** Called when a run ends, either way: the embedded timer ticks at once to import it. */
  readonly onSettled?: (runId: string, status: EngineStatus) => void;
  /** The worker script; tests swap in ones that crash, hang or throw. */
  readonly workerUrl?: URL;
}

interface Job {
  readonly worker: Worker;
  readonly done: Promise<EngineStatus>;
  /** Set before terminating the worker: why it was stopped. */
  stopReason: string | null;
}

const defaultWorkerUrl = new URL('./inprocess-worker.js', import.meta.url);

export class InprocessEngine implements AwaitableEngine {
  readonly name = INPROCESS_ENGINE;
  private readonly jobs: LocalJobs<Job>;

  constructor(private readonly options: InprocessEngineOptions) {
    this.jobs = new LocalJobs<Job>({ engine: this.name, logger: options.logger, onSettled: options.onSettled });
  }

  async submit(run: RunHandle): Promise<void> {
    if (this.jobs.get(run.id)) return; // submitted twice: already running
    if (!isAbsolute(run.folder.location)) throw new Error(`the inprocess engine needs a local run folder, got ${run.folder.location}`);
    if (await isFinished(run.folder)) throw new Error(`${run.folder.location}: already holds a finished run`);
    const workerData: InprocessWorkerData = { dir: run.folder.location, threads: this.options.threads };
    const worker = new Worker(this.options.workerUrl ?? defaultWorkerUrl, { workerData });
    const log = this.jobs.logFor(run);
    let finished = false;
    let error: string | null = null;

    const job: Job = {
      worker,
      stopReason: null,
      done: new Promise<EngineStatus>((resolve) => {
        worker.on('message', (message: InprocessWorkerMessage) => {
          if (message.type === 'done') finished = true;
          else log?.debug({ phase: message.phase }, 'run phase');
        });
        worker.on('error', (err) => {
          error = err.message || String(err);
        });
        worker.on('exit', (code) => {
          clearTimeout(timer);
          void (async () => {
            // Success is a clean finish of a job nobody stopped, and _SUCCESS: the job's word that its outputs are complete.
            const clean = finished && code === 0 && job.stopReason === null;
            const complete = clean && (await run.folder.exists(SUCCESS_FILE).catch(() => false));
            const status: EngineStatus = complete
              ? { state: 'succeeded' }
              : {
                  state: 'failed',
                  reason: job.stopReason ?? error ?? (clean ? `the worker finished without writing ${SUCCESS_FILE}` : `the worker exited with code ${code} before finishing`),
                };
            resolve(await this.jobs.settle(run, status));
          })();
        });
      }),
    };
    const timer = setTimeout(() => {
      job.stopReason = `timed out after ${this.options.timeoutMs / 1000} s`;
      void worker.terminate();
    }, this.options.timeoutMs);
    timer.unref();
    this.jobs.add(run.id, job);
    log?.info('run submitted');
  }

  status(run: RunHandle): Promise<EngineStatus> {
    return this.jobs.status(run);
  }

  settled(run: RunHandle): Promise<EngineStatus> {
    return this.jobs.settled(run);
  }

  async cancel(run: RunHandle, reason: string): Promise<void> {
    const job = this.jobs.get(run.id);
    if (!job) return;
    job.stopReason = `cancelled: ${reason}`;
    await job.worker.terminate();
    await job.done;
  }

  async close(): Promise<void> {
    await Promise.all(this.jobs.all().map((job) => {
      job.stopReason = 'the engine was closed (shutdown)';
      return job.worker.terminate().then(() => job.done);
    }));
  }
}
