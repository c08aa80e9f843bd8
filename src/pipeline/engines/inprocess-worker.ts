/** Worker-thread entry of the inprocess engine: one run folder per worker; an error here becomes the run's reason. */
import { parentPort, workerData } from 'node:worker_threads';
import { runInprocessJob } from './inprocess-job.js';

export interface InprocessWorkerData {
  readonly dir: string;
  readonly threads?: number;
  readonly kernels?: 'wasm' | 'js';
}

export type InprocessWorkerMessage = { readonly type: 'phase'; readonly phase: string } | { readonly type: 'done' };

const { dir, threads, kernels } = workerData as InprocessWorkerData;
const post = (message: InprocessWorkerMessage) => parentPort?.postMessage(message);
await runInprocessJob(dir, { threads, kernels, onPhase: (phase) => post({ type: 'phase', phase }) });
post({ type: 'done' });
