/**
 * Protocol A through run folders, so any engine's output can be scored (npm run evaluate -- --engines …): the
 * known-user split's training ratings are written as a MovieLens ratings.csv, each engine trains on them through
 * an ordinary run folder (no app users), and the model it wrote is scored on the held-out ratings.
 */
import { mkdir, open, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { RatingsMatrix } from '../catalog/types.js';
import { knownUserScorerFromModel } from '../recommend/evaluation/model-scorer.js';
import { evaluateKnownUsers, type KnownUserMetrics } from '../recommend/evaluation/protocols.js';
import { defaultKnownUserSplit, splitKnownUsers, type KnownUserSplit } from '../recommend/evaluation/splits.js';
import type { ItemFactorModel } from '../recommend/model.js';
import type { AwaitableEngine } from './engines/engine.js';
import { localRunFolder } from './run-files.js';
import { writeRunInput } from './run-folder.js';
import { readRunOutput } from './run-output.js';
import type { RunParams } from './run-params.js';

export interface EngineScore {
  readonly engine: string;
  readonly runFolder: string;
  /** From submit to settled, as a user of the engine waits (process and JVM start included). */
  readonly wallSeconds: number;
  readonly modelItems: number;
  readonly metrics: KnownUserMetrics;
}

/** The split and the training ratings file shared by every engine of one comparison. */
export interface PreparedSplit {
  readonly split: KnownUserSplit;
  readonly ratingsPath: string;
}

/** Splits with protocol A's defaults and writes the training part to `dir`/train/ratings.csv. */
export async function prepareKnownUserSplit(ratings: RatingsMatrix, seed: number, dir: string): Promise<PreparedSplit> {
  const split = splitKnownUsers(ratings, { ...defaultKnownUserSplit, seed });
  const ratingsPath = join(dir, 'train', 'ratings.csv');
  await writeRatingsCsv(split.train, ratingsPath);
  return { split, ratingsPath };
}

/** Trains `engine` on the split's training ratings in a fresh run folder `dir`/run-<engine> and scores its model. */
export async function scoreEngine(
  engine: AwaitableEngine,
  prepared: PreparedSplit,
  params: Omit<RunParams, 'ratingsPath'>,
  dir: string,
): Promise<EngineScore> {
  const location = join(dir, `run-${engine.name}`);
  await rm(location, { recursive: true, force: true });
  const folder = localRunFolder(location);
  await writeRunInput(folder, { users: [], params: { ...params, ratingsPath: prepared.ratingsPath } });
  const started = performance.now();
  const run = { id: `evaluate-${engine.name}`, folder };
  await engine.submit(run);
  const status = await engine.settled(run);
  const wallSeconds = (performance.now() - started) / 1000;
  if (status.state !== 'succeeded') throw new Error(`${engine.name}: the run failed: ${'reason' in status ? status.reason : status.state}`);
  const output = await readRunOutput(folder, []);
  if (output === null) throw new Error(`${location}: no _SUCCESS although the engine reported success`);
  return { engine: engine.name, runFolder: location, wallSeconds, modelItems: output.model.itemIds.length, metrics: scoreModel(prepared.split, output.model) };
}

/** Scores the model of an existing, finished run folder (trained on this split's training ratings). */
export async function scoreRunFolder(location: string, split: KnownUserSplit): Promise<{ model: ItemFactorModel; metrics: KnownUserMetrics }> {
  const output = await readRunOutput(localRunFolder(location), []);
  if (output === null) throw new Error(`${location}: no finished run here (_SUCCESS is missing)`);
  return { model: output.model, metrics: scoreModel(split, output.model) };
}

function scoreModel(split: KnownUserSplit, model: ItemFactorModel): KnownUserMetrics {
  return evaluateKnownUsers(split, knownUserScorerFromModel(split.train, model));
}

/** MovieLens ratings.csv (userId,movieId,rating,timestamp) of a ratings matrix; timestamps are 0. */
export async function writeRatingsCsv(ratings: RatingsMatrix, path: string): Promise<void> {
  await mkdir(join(path, '..'), { recursive: true });
  const { userIds, itemIds, byUser } = ratings;
  const file = await open(path, 'w');
  try {
    let chunk = 'userId,movieId,rating,timestamp\n';
    for (let u = 0; u < byUser.rows; u++) {
      for (let n = byUser.indptr[u]; n < byUser.indptr[u + 1]; n++) {
        chunk += `${userIds[u]},${itemIds[byUser.indices[n]]},${byUser.values[n]},0\n`;
      }
      if (chunk.length > 1 << 20) {
        await file.write(chunk);
        chunk = '';
      }
    }
    await file.write(chunk);
  } finally {
    await file.close();
  }
}
