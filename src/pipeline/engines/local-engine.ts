/**
 * What both engines on this machine share: the runs going on in this process, submit/status/settled/cancel/close,
 * the timeout, and the end of a run (success only on a clean end of a job nobody stopped, with `_SUCCESS`; a failure
 * recorded in `_FAILED`, logged, the job forgotten, onSettled told) — so status() never sees neither a job nor an
 * outcome for a finished run. Each engine says only how it starts a job and how it stops one.
 */
import { isAbsolute } from 'node:path';
import type { Logger } from '../../log.js';
import { SUCCESS_FILE } from '../run-folder.js';
import type { AwaitableEngine, EngineStatus, RunHandle } from './engine.js';
import { isFinished, outcomeInFolder, recordFailure } from './run-outcome.js';

export interface LocalEngineOptions {
  /** A job still running after this long is stopped and its run failed. */
  readonly timeoutMs: number;
  readonly logger?: Logger;
  /** Called when a run ends, either way: the embedded timer ticks at once to import it. */
  readonly onSettled?: (runId: string, status: EngineStatus) => void;
}

/** How a job ended, as the engine that ran it saw it. */
export interface JobExit {
  /** It finished and exited cleanly: the run succeeded if nobody stopped it and `_SUCCESS` is there. */
  readonly clean: boolean;
  /** Why the run failed, should it have (and nobody stopped it). */
  readonly reason: string;
}

/** One job as its engine started it. */
export interface StartedJob {
  /** Resolves once the job is over; never rejects. */
  readonly exit: Promise<JobExit>;
  /** Starts stopping the job (best effort); `exit` resolves once it has stopped. */
  stop(): Promise<void> | void;
  /** Extra fields for the "run submitted" log line. */
  readonly logFields?: Readonly<Record<string, unknown>>;
}

interface RunningJob {
  readonly job: StartedJob;
  /** Resolves with the final status once the run has ended and been settled. */
  readonly done: Promise<EngineStatus>;
  /** Set before stopping the job: why it was stopped. */
  stopReason: string | null;
  /** Stopped by close() (a shutdown): the run ends interrupted, with no `_FAILED`, for the next start to retry. */
  interrupted: boolean;
}

export abstract class LocalEngine implements AwaitableEngine {
  abstract readonly name: string;
  private readonly running = new Map<string, RunningJob>();

  protected constructor(private readonly engineOptions: LocalEngineOptions) {}

  /** Throws when something every job of this engine needs is missing, saying what to do. */
  protected checkReady(): void {}

  /** Starts the job for a run whose local folder holds its inputs. */
  protected abstract start(run: RunHandle, log: Logger | undefined): StartedJob;

  async submit(run: RunHandle): Promise<void> {
    if (this.running.has(run.id)) return; // submitted twice: already running
    if (!isAbsolute(run.folder.location)) throw new Error(`the ${this.name} engine needs a local run folder, got ${run.folder.location}`);
    this.checkReady();
    if (await isFinished(run.folder)) throw new Error(`${run.folder.location}: already holds a finished run`);
    const log = this.logFor(run);
    const job = this.start(run, log);
    const { timeoutMs } = this.engineOptions;
    const running: RunningJob = {
      job,
      stopReason: null,
      interrupted: false,
      done: job.exit.then(async (exit) => {
        clearTimeout(timer);
        return this.settle(run, await this.outcome(run, running, exit));
      }),
    };
    const timer = setTimeout(() => void this.stop(running, `timed out after ${timeoutMs / 1000} s`), timeoutMs);
    timer.unref();
    this.running.set(run.id, running);
    log?.info(job.logFields ?? {}, 'run submitted');
  }

  async status(run: RunHandle): Promise<EngineStatus> {
    return this.running.has(run.id) ? { state: 'running' } : outcomeInFolder(run.folder);
  }

  async settled(run: RunHandle): Promise<EngineStatus> {
    const running = this.running.get(run.id);
    return running ? running.done : outcomeInFolder(run.folder);
  }

  async cancel(run: RunHandle, reason: string): Promise<void> {
    const running = this.running.get(run.id);
    if (!running) return;
    await this.stop(running, `cancelled: ${reason}`);
    await running.done;
  }

  async close(): Promise<void> {
    const all = [...this.running.values()];
    await Promise.all(all.map(async (running) => {
      running.interrupted ||= running.stopReason === null;
      await this.stop(running, 'the engine was closed (shutdown)');
      await running.done;
    }));
  }

  /** The first reason given is the one the run fails with. */
  private async stop(running: RunningJob, reason: string): Promise<void> {
    running.stopReason ??= reason;
    await running.job.stop();
  }

  /** Success is a clean end of a job nobody stopped, and _SUCCESS: the job's word that its outputs are complete. */
  private async outcome(run: RunHandle, running: RunningJob, exit: JobExit): Promise<EngineStatus> {
    const complete = running.stopReason === null && exit.clean && (await run.folder.exists(SUCCESS_FILE).catch(() => false));
    if (complete) return { state: 'succeeded' };
    if (running.interrupted) return { state: 'interrupted', reason: running.stopReason ?? exit.reason };
    return { state: 'failed', reason: running.stopReason ?? exit.reason };
  }

  /** Ends a run: records and logs a failure (an interruption leaves the folder without an outcome), forgets the job, tells onSettled; returns the status. */
  private async settle(run: RunHandle, status: EngineStatus): Promise<EngineStatus> {
    const log = this.logFor(run);
    if (status.state === 'failed') {
      if (!(await recordFailure(run.folder, status.reason))) log?.error('could not record the failure in the run folder');
      log?.warn({ reason: status.reason }, 'run failed');
    } else if (status.state === 'interrupted') {
      log?.warn({ reason: status.reason }, 'run interrupted');
    } else {
      log?.info('run finished');
    }
    this.running.delete(run.id);
    try {
      this.engineOptions.onSettled?.(run.id, status);
    } catch (err) {
      log?.error({ err }, 'onSettled failed');
    }
    return status;
  }

  private logFor(run: RunHandle): Logger | undefined {
    return this.engineOptions.logger?.child({ runId: run.id, engine: this.name });
  }
}
