/** Shared set-up for the pipeline tests: temp folders, a real SQLite store with users, small real training. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger } from '../../src/log.js';
import type { AwaitableEngine, EngineStatus, RunHandle } from '../../src/pipeline/engines/engine.js';
import { InprocessEngine, type InprocessEngineOptions } from '../../src/pipeline/engines/inprocess.js';
import { localRunFolders } from '../../src/pipeline/run-files.js';
import type { RunParams } from '../../src/pipeline/run-params.js';
import { ratingsPathIn } from '../../src/pipeline/settings.js';
import { createPipeline, type PipelineDeps, type PipelineSettings } from '../../src/pipeline/tick.js';
import type { ItemFactorModel } from '../../src/recommend/model.js';
import { openSqliteStore, type Store } from '../../src/store/index.js';
import { movielensDir } from '../support/movielens.js';

export const logger = createLogger({ NODE_ENV: 'test' });

const created: string[] = [];
process.once('exit', () => {
  for (const dir of created) rmSync(dir, { recursive: true, force: true });
});

/** A new empty folder, removed when the process exits. */
export function tempDir(prefix = 'pipeline-'): string {
  const dir = mkdtempSync(join(tmpdir(), `moviehunter-${prefix}`));
  created.push(dir);
  return dir;
}

/** Small and fast, on the real ml-latest-small ratings; one ALS thread (the job's worker is already off the main thread). */
export function smallParams(overrides: Partial<RunParams> = {}): RunParams {
  return {
    rank: 8,
    iterations: 3,
    regularization: 0.5,
    alpha: 2,
    ratingThreshold: null,
    scaleRegularization: true,
    seed: 42,
    topN: 48,
    candidates: 300,
    pickRating: 5,
    ratingsPath: ratingsPathIn(movielensDir()),
    ...overrides,
  };
}

/** Picks from ml-latest-small; 1076 is in movies.csv but nobody rated it. */
export const PICKS = {
  classics: [260, 1196, 1210, 2571, 1198],
  dramas: [318, 296, 593, 2959, 356],
  fantasy: [4993, 5952, 7153, 1076, 2628],
};

/** A settable clock for the store and the tick (epoch ms). */
export class Clock {
  constructor(public t = 1_700_000_000_000) {}
  readonly now = () => this.t;
  advance(ms: number): void {
    this.t += ms;
  }
}

/** A user with these picks (state `pending`); their id. */
export async function pendingUser(store: Store, name: string, picks: readonly number[], now: number): Promise<string> {
  const user = await store.createUser({ username: name, email: `${name}@example.com`, passwordHash: 'not-a-real-hash', now });
  await store.savePicks(user.id, picks, now);
  return user.id;
}

export function testEngine(options: Partial<InprocessEngineOptions> = {}): InprocessEngine {
  return new InprocessEngine({ timeoutMs: 120_000, threads: 1, ...options });
}

/** A worker script of test/pipeline/workers/ (compiled beside this file). */
export function testWorker(name: string): URL {
  return new URL(`./workers/${name}.js`, import.meta.url);
}

export interface Harness {
  store: Store;
  clock: Clock;
  runsDir: string;
  models: ItemFactorModel[];
  pipeline: ReturnType<typeof createPipeline>;
  close(): Promise<void>;
}

export const settings: PipelineSettings = { maxAttempts: 2, runTimeoutMs: 60_000, maxUsersPerRun: 100 };

/** A pipeline over a fresh in-memory store and runs folder; `models` collects every model it adopts. */
export async function harness(engine: PipelineDeps['engine'], overrides: Partial<PipelineDeps> = {}): Promise<Harness> {
  const store = await openSqliteStore(':memory:');
  const clock = new Clock();
  const runsDir = tempDir('runs-');
  const models: ItemFactorModel[] = [];
  const pipeline = createPipeline({
    store,
    engine,
    folders: localRunFolders(runsDir),
    params: smallParams(),
    settings,
    currentModel: { replace: (model) => models.push(model) },
    logger,
    now: clock.now,
    ...overrides,
  });
  return {
    store,
    clock,
    runsDir,
    models,
    pipeline,
    async close() {
      await engine.close?.();
      await store.close();
    },
  };
}

/** An engine that accepts every run and fails it with `reason` (counts its calls). */
export class FailingEngine implements AwaitableEngine {
  readonly name = 'failing';
  submitted: string[] = [];
  constructor(private readonly reason: string) {}
  async submit(run: RunHandle): Promise<void> {
    this.submitted.push(run.id);
  }
  async status(): Promise<EngineStatus> {
    return { state: 'failed', reason: this.reason };
  }
  async settled(): Promise<EngineStatus> {
    return this.status();
  }
}

/** An engine whose runs never finish; remembers what it was asked to cancel. */
export class HangingEngine implements AwaitableEngine {
  readonly name = 'hanging';
  submitted: string[] = [];
  cancelled: { id: string; reason: string }[] = [];
  async submit(run: RunHandle): Promise<void> {
    this.submitted.push(run.id);
  }
  async status(): Promise<EngineStatus> {
    return { state: 'running' };
  }
  async cancel(run: RunHandle, reason: string): Promise<void> {
    this.cancelled.push({ id: run.id, reason });
  }
  settled(): Promise<EngineStatus> {
    return new Promise(() => {});
  }
}
