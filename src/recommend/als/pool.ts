import { Worker } from 'node:worker_threads';
import type { HalfStepTask, TrainingState } from './state.js';
import type { AlsWorkerStart } from './worker.js';

interface Reply {
  readonly ok: boolean;
  readonly message?: string;
}

/** Found next to this file in whatever folder the code was compiled to. */
const workerUrl = new URL('./worker.js', import.meta.url);

/**
 * Worker threads sharing one TrainingState, started before it exists (they boot while it is built) and given it by
 * share(). run() starts a half-step on every worker (they share the chunk counter) and resolves when all are done;
 * the first failure rejects it. terminate() must always be called.
 */
export class AlsWorkerPool {
  private readonly members: PoolMember[];

  /** `threads` workers, whose work spaces are state.scratch[firstSlot ..] (the slots before are the caller's). */
  constructor(threads: number, private readonly firstSlot = 0) {
    this.members = Array.from({ length: threads }, () => new PoolMember(new Worker(workerUrl)));
  }

  /** Gives every worker the state and its own work space in it (state.scratch[firstSlot + n]). */
  share(state: TrainingState): void {
    this.members.forEach((member, n) => member.start({ state, slot: this.firstSlot + n }));
  }

  async run(task: HalfStepTask): Promise<void> {
    await Promise.all(this.members.map((member) => member.run(task)));
  }

  async terminate(): Promise<void> {
    await Promise.all(this.members.map((member) => member.terminate()));
  }
}

/** One worker and the promise of its current task; a failure outside any task is kept for the next run(). */
class PoolMember {
  private pending: { resolve: () => void; reject: (error: Error) => void } | null = null;
  private failure: Error | null = null;
  private exited = false;

  constructor(private readonly worker: Worker) {
    worker.on('message', (reply: Reply) => {
      if (reply.ok) this.settle(null);
      else this.settle(new Error(`ALS worker failed: ${reply.message ?? 'unknown error'}`));
    });
    worker.on('error', (error: Error) => this.settle(new Error(`ALS worker crashed: ${error.message}`, { cause: error })));
    worker.on('exit', (code) => {
      this.exited = true;
      this.settle(new Error(`ALS worker exited unexpectedly (code ${code})`));
    });
  }

  start(message: AlsWorkerStart): void {
    this.worker.postMessage(message);
  }

  run(task: HalfStepTask): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    return new Promise((resolve, reject) => {
      this.pending = { resolve, reject };
      this.worker.postMessage(task);
    });
  }

  async terminate(): Promise<void> {
    if (!this.exited) await this.worker.terminate();
  }

  private settle(error: Error | null): void {
    const pending = this.pending;
    this.pending = null;
    if (error && !this.failure) this.failure = error;
    if (!pending) return;
    if (error) pending.reject(error);
    else pending.resolve();
  }
}
