/**
 * The spark-local engine: each run is spark/als_job.py in its own process on local Spark (`local[*]`), its log
 * streamed into the app's log, killed (with its JVM) past the timeout. As with the inprocess engine, only a running
 * process lives in memory; a finished run is told by its folder (`_SUCCESS` from the job, `_FAILED` from here).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import type { Logger } from '../../log.js';
import type { AwaitableEngine, EngineStatus, RunHandle } from './engine.js';
import { SUCCESS_FILE } from '../run-folder.js';
import { forEachLine, lastErrorOf, LineTail } from './process-lines.js';
import { LocalJobs } from './local-jobs.js';
import { isFinished } from './run-outcome.js';

export const SPARK_LOCAL_ENGINE = 'spark-local';

export interface SparkLocalEngineOptions {
  /** A Python with pyspark installed (the repository's spark/.venv by default, see src/config.ts). */
  readonly python: string;
  /** spark/als_job.py. */
  readonly jobPath: string;
  /** Spark master URL, e.g. local[*]. */
  readonly master: string;
  /** A job still running after this long is killed and its run failed. */
  readonly timeoutMs: number;
  readonly logger?: Logger;
  /** Called when a run ends, either way: the embedded timer ticks at once to import it. */
  readonly onSettled?: (runId: string, status: EngineStatus) => void;
  /** Extra environment for the job (tests). */
  readonly env?: Readonly<Record<string, string>>;
}

interface Job {
  readonly child: ChildProcess;
  readonly done: Promise<EngineStatus>;
  /** Set before killing the process: why it was stopped. */
  stopReason: string | null;
}

/** After SIGTERM, a job that has not exited this long later gets SIGKILL. */
const KILL_GRACE_MS = 5_000;

export class SparkLocalEngine implements AwaitableEngine {
  readonly name = SPARK_LOCAL_ENGINE;
  private readonly jobs: LocalJobs<Job>;

  constructor(private readonly options: SparkLocalEngineOptions) {
    this.jobs = new LocalJobs<Job>({ engine: this.name, logger: options.logger, onSettled: options.onSettled });
  }

  async submit(run: RunHandle): Promise<void> {
    if (this.jobs.get(run.id)) return; // submitted twice: already running
    const { python, jobPath, master } = this.options;
    if (!isAbsolute(run.folder.location)) throw new Error(`the spark-local engine needs a local run folder, got ${run.folder.location}`);
    if (!existsSync(python)) throw new Error(`${python}: no Python with pyspark here (SPARK_PYTHON); \`npm test\` sets up spark/.venv, or see spark/README.md`);
    if (!existsSync(jobPath)) throw new Error(`${jobPath}: the Spark job is missing`);
    if (await isFinished(run.folder)) throw new Error(`${run.folder.location}: already holds a finished run`);

    const log = this.jobs.logFor(run);
    const child = spawn(python, [jobPath, run.folder.location, '--engine-name', this.name, '--master', master], {
      // Its own process group, so a timeout kills the JVM that pyspark starts as well.
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, PYSPARK_PYTHON: python, SPARK_LOCAL_IP: '127.0.0.1', ...this.options.env },
    });
    const stderrTail = new LineTail(40);
    forEachLine(child.stdout!, (line) => log?.info({ stream: 'stdout' }, line));
    forEachLine(child.stderr!, (line) => {
      stderrTail.push(line);
      log?.info({ stream: 'stderr' }, line);
    });

    let spawnError: string | null = null;
    const job: Job = {
      child,
      stopReason: null,
      done: new Promise<EngineStatus>((resolve) => {
        child.on('error', (err) => {
          spawnError = `could not start ${python}: ${err.message}`;
        });
        child.on('close', (code, signal) => {
          clearTimeout(timer);
          void this.finish(run, job, code, signal, spawnError, stderrTail).then(resolve);
        });
      }),
    };
    const timer = setTimeout(() => this.stop(job, `timed out after ${this.options.timeoutMs / 1000} s`), this.options.timeoutMs);
    timer.unref();
    this.jobs.add(run.id, job);
    log?.info({ pid: child.pid, master }, 'run submitted');
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
    this.stop(job, `cancelled: ${reason}`);
    await job.done;
  }

  async close(): Promise<void> {
    const jobs = this.jobs.all();
    for (const job of jobs) this.stop(job, 'the engine was closed (shutdown)');
    await Promise.all(jobs.map((job) => job.done));
  }

  /** SIGTERM to the whole process group, SIGKILL if it lingers. */
  private stop(job: Job, reason: string): void {
    job.stopReason ??= reason;
    const pid = job.child.pid;
    if (pid === undefined || job.child.exitCode !== null || job.child.signalCode !== null) return;
    signalGroup(pid, 'SIGTERM');
    setTimeout(() => signalGroup(pid, 'SIGKILL'), KILL_GRACE_MS).unref();
  }

  /** Decides the outcome and settles the run. */
  private async finish(
    run: RunHandle,
    job: Job,
    code: number | null,
    signal: NodeJS.Signals | null,
    spawnError: string | null,
    stderrTail: LineTail,
  ): Promise<EngineStatus> {
    // Success is a clean exit of a job nobody stopped, and _SUCCESS: the job's word that its outputs are complete.
    let status: EngineStatus;
    if (job.stopReason === null && code === 0 && (await run.folder.exists(SUCCESS_FILE))) {
      status = { state: 'succeeded' };
    } else {
      const exit = code !== null ? `exit code ${code}` : `signal ${signal}`;
      const reason = job.stopReason ?? spawnError ?? (code === 0 ? 'the Spark job exited without writing _SUCCESS' : `the Spark job failed (${exit}): ${lastErrorOf(stderrTail.lines()) ?? 'no error output'}`);
      status = { state: 'failed', reason };
    }
    return this.jobs.settle(run, status);
  }
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}
