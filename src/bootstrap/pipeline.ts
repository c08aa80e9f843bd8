/**
 * The pipeline, by ENGINE, wired from the config in one place. On one machine (inprocess, spark-local) the embedded
 * pipeline trains at start-up and ticks on a timer. On Google Cloud the tick runs in the Cloud Scheduler target
 * (jobs/, createCloudTick) and the app only follows the model pointer the tick publishes (startAppPipeline); both
 * take the run folders and the pointer from the same Cloud Storage parts.
 */
import { Storage } from '@google-cloud/storage';
import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import { startEmbeddedPipeline } from '../pipeline/index.js';
import { cloudPipelineParts, dataprocEngineOf, type CloudPipelineParts } from '../pipeline/cloud.js';
import type { DataprocEngineOptions } from '../pipeline/engines/dataproc.js';
import { readModelAt } from '../pipeline/model-folder.js';
import type { ModelSink } from '../pipeline/model-sink.js';
import { watchModel } from '../pipeline/model-watcher.js';
import { pipelineSettingsOf } from '../pipeline/settings.js';
import { createPipeline, type TickReport } from '../pipeline/tick.js';
import { openFirestoreStore } from '../store/firestore/index.js';
import type { Store } from '../store/index.js';

export interface AppPipeline {
  /** Runs one tick here; absent where the tick runs elsewhere (Google Cloud). */
  readonly tick?: () => Promise<TickReport>;
  /** Picks changed: tick soon (a no-op where the scheduler decides). */
  nudge(): void;
  stop(): Promise<void>;
}

export interface AppPipelineDeps {
  readonly config: Config;
  readonly store: Store;
  readonly logger: Logger;
  readonly movielensDir: string;
  readonly currentModel: ModelSink;
  /** Cloud Storage client (tests point it at a stand-in); one is made from the config when absent. */
  readonly storage?: Storage;
}

/** Resolves once the start-up model is in service (or, on Google Cloud, once the first look for one is done). */
export async function startAppPipeline(deps: AppPipelineDeps): Promise<AppPipeline> {
  const { config, logger } = deps;
  if (config.ENGINE !== 'dataproc') {
    const embedded = await startEmbeddedPipeline(deps);
    return { tick: embedded.tick, nudge: embedded.nudge, stop: embedded.stop };
  }
  const { storage, parts } = cloudParts(config, deps.storage);
  const watcher = watchModel({
    pointer: parts.pointer,
    readModel: (location) => readModelAt(location, { storage }),
    currentModel: deps.currentModel,
    intervalMs: config.MODEL_REFRESH_SECONDS * 1000,
    logger: logger.child({ part: 'model' }),
  });
  if (!(await watcher.check().catch(() => false))) logger.warn('no model in service yet: the first tick on Google Cloud trains one');
  return {
    nudge: () => {},
    async stop() {
      watcher.stop();
    },
  };
}

export interface CloudTickClients {
  readonly store?: Store;
  readonly storage?: Storage;
  /** Test clients and endpoints for the Dataproc engine. */
  readonly dataproc?: Partial<DataprocEngineOptions>;
}

export interface CloudTick {
  readonly tick: () => Promise<TickReport>;
  close(): Promise<void>;
}

/**
 * One tick on Google Cloud: the Firestore store, run folders and the model pointer in Cloud Storage, the Dataproc
 * engine. The first tick with nobody waiting and no model yet trains one (trainFirstModel), since no start-up does it.
 */
export async function createCloudTick(config: Config, logger: Logger, clients: CloudTickClients = {}): Promise<CloudTick> {
  const projectId = config.GOOGLE_CLOUD_PROJECT;
  if (!projectId) throw new Error('GOOGLE_CLOUD_PROJECT is required on Google Cloud');
  const store = clients.store ?? (await openFirestoreStore({ projectId }));
  const { parts } = cloudParts(config, clients.storage);
  const engine = dataprocEngineOf(config, logger, clients.dataproc);
  const pipeline = createPipeline({
    store,
    engine,
    folders: parts.folders,
    params: parts.params,
    settings: { ...pipelineSettingsOf(config), trainFirstModel: true },
    modelPointer: parts.pointer,
    logger: logger.child({ part: 'pipeline' }),
  });
  return {
    tick: pipeline.tick,
    async close() {
      await engine.close?.();
      if (!clients.store) await store.close();
    },
  };
}

/** The Cloud Storage client (the given one, else the project's) and the pipeline's parts in GCS_BUCKET. */
function cloudParts(config: Config, given: Storage | undefined): { storage: Storage; parts: CloudPipelineParts } {
  const storage = given ?? new Storage({ projectId: config.GOOGLE_CLOUD_PROJECT });
  return { storage, parts: cloudPipelineParts(config, storage) };
}
