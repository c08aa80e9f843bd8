import { parentPort, workerData } from 'node:worker_threads';
import { createRowScratch } from './half-step.js';
import { runHalfStep } from './run-half-step.js';
import type { HalfStepTask, TrainingState } from './state.js';

/** A training worker: receives the shared state once (workerData), then runs one half-step per message. */
const port = parentPort;
if (port === null) throw new Error('als/worker.js must be started as a worker thread');
const state = workerData as TrainingState;
const scratch = createRowScratch(state.rank);

port.on('message', (task: HalfStepTask) => {
  try {
    runHalfStep(state, task, scratch);
    port.postMessage({ ok: true });
  } catch (error) {
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    port.postMessage({ ok: false, message });
  }
});
