import { parentPort } from 'node:worker_threads';
import { runHalfStep } from './run-half-step.js';
import type { HalfStepTask, TrainingState } from './state.js';
import { kernelsFor } from './wasm-kernels.js';

/** A training worker's first message: the shared state, and which of its work spaces is this worker's. */
export interface AlsWorkerStart {
  readonly state: TrainingState;
  readonly slot: number;
}

/** A training worker: receives the shared state once (its first message), then runs one half-step per message. */
const port = parentPort;
if (port === null) throw new Error('als/worker.js must be started as a worker thread');

port.once('message', ({ state, slot }: AlsWorkerStart) => {
  const scratch = state.scratch[slot];
  const kernels = kernelsFor(state.memory);
  port.on('message', (task: HalfStepTask) => {
    try {
      runHalfStep(state, task, scratch, kernels);
      port.postMessage({ ok: true });
    } catch (error) {
      const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
      port.postMessage({ ok: false, message });
    }
  });
});
