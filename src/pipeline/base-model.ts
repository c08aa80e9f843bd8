/**
 * The model quick recommendations start with: the latest run's (named by the model pointer), else the base model
 * in DATA_DIR/models/base/, else one trained now on the MovieLens ratings alone — through the same engine code
 * path as a run, with no app users — and kept there, so the first start serves quick recommendations at once.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Logger } from '../log.js';
import type { ItemFactorModel } from '../recommend/model.js';
import type { AwaitableEngine } from './engines/engine.js';
import { readModelAt, writeModelAt } from './model-folder.js';
import { fileModelPointer, type ModelPointer } from './model-pointer.js';
import { newRunId } from './run-id.js';
import { writeRunInput } from './run-folder.js';
import { localRunFolder } from './run-files.js';
import { readRunOutput } from './run-output.js';
import type { RunParams } from './run-params.js';

export interface BaseModelOptions {
  readonly dataDir: string;
  /** What to train with when there is no model yet (ratingsPath: the MovieLens ratings). */
  readonly params: RunParams;
  readonly engine: AwaitableEngine;
  /** Default: DATA_DIR/models/current.json, the one the tick writes (see modelPointerIn). */
  readonly pointer?: ModelPointer;
  readonly logger?: Logger;
}

export interface LoadedModel {
  readonly model: ItemFactorModel;
  /** The model folder it came from. */
  readonly location: string;
  readonly source: 'latest-run' | 'base' | 'trained';
}

export const modelsDirIn = (dataDir: string): string => join(dataDir, 'models');
export const baseModelDirIn = (dataDir: string): string => join(modelsDirIn(dataDir), 'base');
/** The pointer to the latest run's model, shared by the tick (writer) and the start-up (reader). */
export const modelPointerIn = (dataDir: string): ModelPointer => fileModelPointer(join(modelsDirIn(dataDir), 'current.json'));

export async function loadOrTrainBaseModel(options: BaseModelOptions): Promise<LoadedModel> {
  const { dataDir, logger } = options;
  const latest = await (options.pointer ?? modelPointerIn(dataDir)).read();
  if (latest !== null) {
    try {
      return { model: await readModelAt(latest), location: latest, source: 'latest-run' };
    } catch (err) {
      logger?.warn({ err, location: latest }, 'the latest run model is unreadable; using the base model');
    }
  }
  const baseDir = baseModelDirIn(dataDir);
  try {
    return { model: await readModelAt(baseDir), location: baseDir, source: 'base' };
  } catch (err) {
    logger?.info({ reason: (err as Error).message }, 'no base model yet: training one on the MovieLens ratings');
  }
  const model = await trainBaseModel(options);
  await writeModelAt(baseDir, model);
  return { model, location: baseDir, source: 'trained' };
}

/** One run with no app users, in a scratch folder removed afterwards. */
async function trainBaseModel({ dataDir, params, engine }: BaseModelOptions): Promise<ItemFactorModel> {
  const id = `base-${newRunId(Date.now())}`;
  const folder = localRunFolder(join(modelsDirIn(dataDir), id));
  try {
    await writeRunInput(folder, { users: [], params });
    const run = { id, folder };
    await engine.submit(run);
    const status = await engine.settled(run);
    if (status.state !== 'succeeded') throw new Error(`training the base model failed: ${'reason' in status ? status.reason : status.state}`);
    const output = await readRunOutput(folder, []);
    if (output === null) throw new Error(`training the base model failed: ${folder.location} has no _SUCCESS`);
    return output.model;
  } finally {
    await rm(folder.location, { recursive: true, force: true });
  }
}
