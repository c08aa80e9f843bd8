/**
 * The spark-local engine: each run is spark/als_job.py in its own process on local Spark (`local[*]`), its log
 * streamed into the app's log, killed (with its JVM) past the timeout. As with the inprocess engine, only a running
 * process lives in memory; a finished run is told by its folder (`_SUCCESS` from the job, `_FAILED` from here).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { Logger } from '../../log.js';
import type { RunHandle } from './engine.js';
import { LocalEngine, type JobExit, type LocalEngineOptions, type StartedJob } from './local-engine.js';
import { forEachLine, lastErrorOf, LineTail } from './process-lines.js';

export const SPARK_LOCAL_ENGINE = 'spark-local';

export interface SparkLocalEngineOptions extends LocalEngineOptions {
  /** A Python with pyspark installed (the repository's spark/.venv by default, see src/config.ts). */
  readonly python: string;
  /** spark/als_job.py. */
  readonly jobPath: string;
  /** Spark master URL, e.g. local[*]. */
  readonly master: string;
  /** Extra environment for the job (tests). */
  readonly env?: Readonly<Record<string, string>>;
}

/** After SIGTERM, a job that has not exited this long later gets SIGKILL. */
const KILL_GRACE_MS = 5_000;

export class SparkLocalEngine extends LocalEngine {
  readonly name = SPARK_LOCAL_ENGINE;

  constructor(private readonly options: SparkLocalEngineOptions) {
    super(options);
  }

  protected override checkReady(): void {
    const { python, jobPath } = this.options;
    if (!existsSync(python)) throw new Error(`${python}: no Python with pyspark here (SPARK_PYTHON); \`npm test\` sets up spark/.venv, or see spark/README.md`);
    if (!existsSync(jobPath)) throw new Error(`${jobPath}: the Spark job is missing`);
  }

  /** The job in its own process group, so stopping it stops the JVM that pyspark starts as well. */
  protected start(run: RunHandle, log: Logger | undefined): StartedJob {
    const { python, jobPath, master } = this.options;
    const child = spawn(python, [jobPath, run.folder.location, '--engine-name', this.name, '--master', master], {
      detached: true,
      stdio: ['ignore', 'pipe', 'pipe'],
      env: { ...process.env, PYSPARK_PYTHON: python, SPARK_LOCAL_IP: '127.0.0.1', ...this.options.env },
    });
    const stderrTail = new LineTail(40);
    forEachLine(child.stdout, (line) => log?.info({ stream: 'stdout' }, line));
    forEachLine(child.stderr, (line) => {
      stderrTail.push(line);
      log?.info({ stream: 'stderr' }, line);
    });

    let spawnError: string | null = null;
    const exit = new Promise<JobExit>((resolve) => {
      child.on('error', (err) => {
        spawnError = `could not start ${python}: ${err.message}`;
      });
      child.on('close', (code, signal) => {
        const failure = code !== null ? `exit code ${code}` : `signal ${signal}`;
        const reason = spawnError ?? (code === 0 ? 'the Spark job exited without writing _SUCCESS' : `the Spark job failed (${failure}): ${lastErrorOf(stderrTail.lines()) ?? 'no error output'}`);
        resolve({ clean: code === 0, reason });
      });
    });
    return { exit, stop: () => stopGroup(child), logFields: { pid: child.pid, master } };
  }
}

/** SIGTERM to the whole process group, SIGKILL if it lingers. */
function stopGroup(child: ChildProcess): void {
  const pid = child.pid;
  if (pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
  signalGroup(pid, 'SIGTERM');
  setTimeout(() => signalGroup(pid, 'SIGKILL'), KILL_GRACE_MS).unref();
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // Already gone.
  }
}
