/**
 * The embedded engine: each run trains in its own worker thread (the web app keeps answering), with a timeout
 * that terminates the worker. Only a running worker lives in memory; a finished run is told by its folder
 * (`_SUCCESS`, or `_FAILED` with the reason, which this engine writes for every failure: error, crash, timeout).
 */
import { Worker } from 'node:worker_threads';
import type { Logger } from '../../log.js';
import { SUCCESS_FILE } from '../run-folder.js';
import type { RunHandle } from './engine.js';
import { INPROCESS_ENGINE } from './inprocess-job.js';
import type { InprocessWorkerData, InprocessWorkerMessage } from './inprocess-worker.js';
import { LocalEngine, type JobExit, type LocalEngineOptions, type StartedJob } from './local-engine.js';

export interface InprocessEngineOptions extends LocalEngineOptions {
  /** ALS threads inside the worker (trainAls' default when unset). */
  readonly threads?: number;
  /** ALS kernels (ALS_KERNELS; trainAls' default when unset). */
  readonly kernels?: 'wasm' | 'js';
  /** The worker script; tests swap in ones that crash, hang or throw. */
  readonly workerUrl?: URL;
}

const defaultWorkerUrl = new URL('./inprocess-worker.js', import.meta.url);

export class InprocessEngine extends LocalEngine {
  readonly name = INPROCESS_ENGINE;

  constructor(private readonly options: InprocessEngineOptions) {
    super(options);
  }

  /** A worker thread on the run folder; it is stopped by terminating it. */
  protected start(run: RunHandle, log: Logger | undefined): StartedJob {
    const workerData: InprocessWorkerData = { dir: run.folder.location, threads: this.options.threads, kernels: this.options.kernels };
    const worker = new Worker(this.options.workerUrl ?? defaultWorkerUrl, { workerData });
    let finished = false;
    let error: string | null = null;
    const exit = new Promise<JobExit>((resolve) => {
      worker.on('message', (message: InprocessWorkerMessage) => {
        if (message.type === 'done') finished = true;
        else log?.debug({ phase: message.phase }, 'run phase');
      });
      worker.on('error', (err) => {
        error = err.message || String(err);
      });
      worker.on('exit', (code) => {
        const clean = finished && code === 0;
        const reason = error ?? (clean ? `the worker finished without writing ${SUCCESS_FILE}` : `the worker exited with code ${code} before finishing`);
        resolve({ clean, reason });
      });
    });
    return {
      exit,
      stop: async () => {
        await worker.terminate();
      },
    };
  }
}
