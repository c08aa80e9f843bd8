/**
 * The bookkeeping both local engines share: the runs going on in this process, status and settled answered from
 * them or else from the run folder, and the end of a run (a failure recorded in `_FAILED`, logged, the job forgotten,
 * onSettled told) — so status() never sees neither a job nor an outcome for a finished run.
 */
import type { Logger } from '../../log.js';
import type { EngineStatus, RunHandle } from './engine.js';
import { outcomeInFolder, recordFailure } from './run-outcome.js';

export interface LocalJob {
  /** Resolves with the final status once the run has ended and been settled. */
  readonly done: Promise<EngineStatus>;
}

export interface LocalJobsOptions {
  readonly engine: string;
  readonly logger?: Logger;
  readonly onSettled?: (runId: string, status: EngineStatus) => void;
}

export class LocalJobs<J extends LocalJob> {
  private readonly jobs = new Map<string, J>();

  constructor(private readonly options: LocalJobsOptions) {}

  get(runId: string): J | undefined {
    return this.jobs.get(runId);
  }

  all(): J[] {
    return [...this.jobs.values()];
  }

  add(runId: string, job: J): void {
    this.jobs.set(runId, job);
  }

  async status(run: RunHandle): Promise<EngineStatus> {
    return this.jobs.has(run.id) ? { state: 'running' } : outcomeInFolder(run.folder);
  }

  async settled(run: RunHandle): Promise<EngineStatus> {
    const job = this.jobs.get(run.id);
    return job ? job.done : outcomeInFolder(run.folder);
  }

  /** Ends a run: records and logs a failure, forgets the job, tells onSettled; returns the status. */
  async settle(run: RunHandle, status: EngineStatus): Promise<EngineStatus> {
    const log = this.logFor(run);
    if (status.state === 'failed') {
      if (!(await recordFailure(run.folder, status.reason))) log?.error('could not record the failure in the run folder');
      log?.warn({ reason: status.reason }, 'run failed');
    } else {
      log?.info('run finished');
    }
    this.jobs.delete(run.id);
    try {
      this.options.onSettled?.(run.id, status);
    } catch (err) {
      log?.error({ err }, 'onSettled failed');
    }
    return status;
  }

  logFor(run: RunHandle): Logger | undefined {
    return this.options.logger?.child({ runId: run.id, engine: this.options.engine });
  }
}
