/**
 * The tick (docs/architecture.md, "The batch pipeline"): under the store's tick lease, (1) settle every active run —
 * import a finished one's results, fail a failed, corrupt or timed-out one (its users are retried, then `failed`), give
 * an interrupted one's users back to the queue with their attempts unchanged (a shutdown or a crash of the app) — and (2) when there is
 * room, claim pending users into a new run, write its folder and submit it. Idempotent: each step reads the state
 * it acts on from the store, so two ticks at once, a crash between steps or a restart lose and duplicate nothing.
 */
import { randomUUID } from 'node:crypto';
import type { Logger } from '../log.js';
import type { ItemFactorModel } from '../recommend/model.js';
import { RunNotActiveError, type RunRecord, type RunResult, type Store } from '../store/index.js';
import type { Engine, EngineStatus, RunHandle } from './engines/engine.js';
import type { ModelPointer } from './model-pointer.js';
import type { ModelSink } from './model-sink.js';
import { newRunId } from './run-id.js';
import { CLAIMS_FILE, MODEL_DIR, readClaims, readRunInput, SUCCESS_FILE, writeClaims, writeRunInput } from './run-folder.js';
import type { RunFolders } from './run-files.js';
import { readRunOutput, type RunOutput } from './run-output.js';
import type { RunParams } from './run-params.js';
import { runUsersOf } from './run-users.js';

export interface PipelineSettings {
  /** Failed attempts before a user is `failed` (RUN_MAX_ATTEMPTS). */
  readonly maxAttempts: number;
  /** A run without a result this long after it started is cancelled and failed (RUN_TIMEOUT_SECONDS). */
  readonly runTimeoutMs: number;
  /** Users claimed into one run at most (RUN_MAX_USERS). */
  readonly maxUsersPerRun: number;
  /** Runs at once; 1 on one machine. */
  readonly maxActiveRuns?: number;
  /** How long one tick may hold the tick lease (default 60 s: a tick is a few store calls and file reads; a crashed
   *  tick blocks the next ones no longer than this). */
  readonly tickLeaseMs?: number;
  /**
   * With no pending users and no model yet (the model pointer empty), start a run without users, so quick
   * recommendations have a model before anyone picks (Google Cloud, where no start-up trains one). Off by default.
   */
  readonly trainFirstModel?: boolean;
}

export interface PipelineDeps {
  readonly store: Store;
  readonly engine: Engine;
  readonly folders: RunFolders;
  readonly params: RunParams;
  readonly settings: PipelineSettings;
  /** Gets each successful run's model (quick recommendations use it). */
  readonly currentModel?: ModelSink;
  /** Remembers that model's folder for the next start. */
  readonly modelPointer?: ModelPointer;
  readonly logger: Logger;
  readonly now?: () => number;
}

/** A run that finished during this tick, as the store recorded it. */
export interface FinishedRun {
  readonly runId: string;
  readonly outcome: 'succeeded' | 'failed' | 'interrupted';
  readonly users: number;
  readonly readyUsers: number;
  readonly retriedUsers: number;
  readonly failedUsers: number;
  readonly staleResults: number;
  readonly error: string | null;
}

/** What one tick did: for the logs and the answer of POST /internal/tick. */
export interface TickReport {
  /** Why nothing was done (another tick held the lease), else null. */
  readonly skipped: string | null;
  readonly finished: FinishedRun[];
  /** Runs still running after this tick. */
  readonly running: string[];
  readonly started: { readonly runId: string; readonly users: number } | null;
  /** Problems that did not stop the tick (an engine that did not answer, a run that could not start). */
  readonly problems: string[];
}

export interface Pipeline {
  readonly tick: () => Promise<TickReport>;
}

const DEFAULT_TICK_LEASE_MS = 60_000;
/** The store keeps reasons up to 4096 characters. */
const MAX_REASON = 2000;

export function createPipeline(deps: PipelineDeps): Pipeline {
  const { store, engine, folders, params, settings, logger } = deps;
  const now = deps.now ?? Date.now;
  const maxActive = settings.maxActiveRuns ?? 1;
  const instance = randomUUID().slice(0, 8);
  let ticks = 0;
  const handleOf = (runId: string): RunHandle => ({ id: runId, folder: folders.folder(runId) });

  async function tick(): Promise<TickReport> {
    const owner = `tick-${instance}-${++ticks}`; // one owner per call: two calls in one process exclude each other too
    if (!(await store.acquireTickLease(owner, now(), settings.tickLeaseMs ?? DEFAULT_TICK_LEASE_MS))) {
      return { skipped: 'another tick holds the tick lease', finished: [], running: [], started: null, problems: [] };
    }
    try {
      const finished: FinishedRun[] = [];
      const running: string[] = [];
      const problems: string[] = [];
      for (const run of await store.listActiveRuns()) {
        try {
          const done = await settleRun(run);
          if (done) finished.push(done);
          else running.push(run.id);
        } catch (err) {
          if (err instanceof RunNotActiveError) continue; // finished by someone else meanwhile
          problems.push(`run ${run.id}: ${messageOf(err)}`);
          logger.error({ err, runId: run.id }, 'could not settle the run');
          running.push(run.id);
        }
      }
      // A safety net: a run the loop above did not finish whose lease has ended.
      for (const run of await store.expireRuns(now(), settings.maxAttempts)) finished.push(summary(run));
      const started = running.length < maxActive ? await startRun(problems) : null;
      if (started) running.push(started.runId);
      return { skipped: null, finished, running, started, problems };
    } finally {
      await store.releaseTickLease(owner).catch((err: unknown) => logger.warn({ err }, 'could not release the tick lease'));
    }
  }

  /** Imports, fails or leaves one active run; the finished run, or null while it is still running. */
  async function settleRun(run: RunRecord): Promise<FinishedRun | null> {
    const handle = handleOf(run.id);
    const log = logger.child({ runId: run.id });
    const timedOut = async (): Promise<FinishedRun> => {
      const reason = `timed out: no result ${Math.round(settings.runTimeoutMs / 1000)} s after the run started`;
      await engine.cancel?.(handle, reason).catch((err: unknown) => log.warn({ err }, 'could not cancel the run'));
      return fail(run.id, reason);
    };
    let status: EngineStatus;
    try {
      status = await engine.status(handle);
    } catch (err) {
      // The engine did not answer (network, API): ask again next tick; the run's lease bounds the wait.
      if (run.leaseUntil <= now()) return timedOut();
      log.warn({ err }, 'engine status unavailable');
      throw new Error(`engine status unavailable: ${messageOf(err)}`, { cause: err });
    }
    // The engine first: a run that finished after its lease (the scheduler came late) is still imported.
    if (status.state === 'running') return run.leaseUntil <= now() ? timedOut() : null;
    if (status.state === 'failed') return fail(run.id, status.reason);
    if (status.state === 'interrupted') return interrupt(run.id, status.reason);

    let output: RunOutput;
    let results: RunResult[];
    try {
      ({ output, results } = await readResults(handle));
    } catch (err) {
      return fail(run.id, `invalid output: ${messageOf(err)}`);
    }
    const record = await store.completeRun(run.id, results, now(), { maxAttempts: settings.maxAttempts, metrics: output.metrics });
    log.info({ ready: record.readyUsers, stale: record.staleResults, retried: record.retriedUsers }, 'run imported');
    await adoptModel(handle, output.model);
    return summary(record);
  }

  /** The run's validated output and one result per user, with the generation the tick claimed. */
  async function readResults(handle: RunHandle): Promise<{ output: RunOutput; results: RunResult[] }> {
    const { users } = await readRunInput(handle.folder);
    const claims = await readClaims(handle.folder);
    const output = await readRunOutput(handle.folder, users);
    if (output === null) throw new Error(`the engine reported success but ${handle.folder.pathOf(SUCCESS_FILE)} is missing`);
    const results = [...output.candidates].map(([userId, candidates]) => {
      const generation = claims.get(userId);
      if (generation === undefined) throw new Error(`${handle.folder.pathOf(CLAIMS_FILE)}: user ${JSON.stringify(userId)} was never claimed`);
      return { userId, generation, candidates: candidates.map(({ movie, score, because }) => ({ movieId: movie, score, because })) };
    });
    return { output, results };
  }

  /** The run's model serves quick recommendations from now on, and after the next start. */
  async function adoptModel(handle: RunHandle, model: ItemFactorModel): Promise<void> {
    try {
      const location = handle.folder.pathOf(MODEL_DIR);
      deps.currentModel?.replace(model, { location });
      await deps.modelPointer?.write(location);
    } catch (err) {
      logger.error({ err, runId: handle.id }, 'could not adopt the run model');
    }
  }

  async function fail(runId: string, reason: string): Promise<FinishedRun> {
    const record = await store.failRun(runId, clip(reason), now(), settings.maxAttempts);
    logger.warn({ runId, reason, retried: record.retriedUsers, failed: record.failedUsers }, 'run failed');
    return summary(record);
  }

  /** Not the run's fault: its users go back to pending with their attempts unchanged, for the next run. */
  async function interrupt(runId: string, reason: string): Promise<FinishedRun> {
    const record = await store.interruptRun(runId, clip(reason), now());
    logger.warn({ runId, reason, requeued: record.retriedUsers }, 'run interrupted');
    return summary(record);
  }

  /** Claims pending users into a new run and submits it; any failure hands the users back (retried). */
  async function startRun(problems: string[]): Promise<TickReport['started']> {
    const noneWaiting = !(await store.hasPendingUsers());
    const firstModel = noneWaiting && (await needsFirstModel());
    if (noneWaiting && !firstModel) return null;
    const runId = newRunId(now());
    const t = now();
    await store.createRun({ id: runId, engine: engine.name, now: t, leaseUntil: t + settings.runTimeoutMs });
    try {
      const claimed = firstModel ? [] : await store.claimPendingUsers(runId, settings.maxUsersPerRun, now());
      if (claimed.length === 0 && !firstModel) {
        await store.failRun(runId, 'no pending users left to claim', now(), settings.maxAttempts);
        return null;
      }
      const handle = handleOf(runId);
      await writeClaims(handle.folder, new Map(claimed.map((c) => [c.userId, c.generation])));
      await writeRunInput(handle.folder, { users: await runUsersOf(store, claimed), params });
      await engine.submit(handle);
      logger.info({ runId, users: claimed.length, engine: engine.name }, 'run started');
      return { runId, users: claimed.length };
    } catch (err) {
      const reason = `could not start the run: ${messageOf(err)}`;
      problems.push(`run ${runId}: ${reason}`);
      logger.error({ err, runId }, 'could not start the run');
      // Users back to pending; should this fail too, the run's lease expires and a later tick does it.
      await store.failRun(runId, clip(reason), now(), settings.maxAttempts).catch((e: unknown) => logger.error({ err: e, runId }, 'could not fail the run'));
      return null;
    }
  }

  async function needsFirstModel(): Promise<boolean> {
    if (settings.trainFirstModel !== true || deps.modelPointer === undefined) return false;
    return (await deps.modelPointer.read()) === null;
  }

  return { tick };
}

function summary(run: RunRecord): FinishedRun {
  return {
    runId: run.id,
    outcome: run.outcome === 'running' ? 'failed' : run.outcome,
    users: run.users,
    readyUsers: run.readyUsers,
    retriedUsers: run.retriedUsers,
    failedUsers: run.failedUsers,
    staleResults: run.staleResults,
    error: run.error,
  };
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function clip(reason: string): string {
  return reason.length > MAX_REASON ? `${reason.slice(0, MAX_REASON - 1)}…` : reason;
}
