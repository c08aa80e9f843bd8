/**
 * One tick on Google Cloud, wired from the config: the Firestore store, run folders and the model pointer in Cloud
 * Storage, the Dataproc engine. The first tick with nobody waiting and no model yet trains one (trainFirstModel),
 * since no start-up does it here.
 */
import { Storage } from '@google-cloud/storage';
import type { Config } from '../src/config.js';
import type { Logger } from '../src/log.js';
import { cloudPipelineParts, dataprocEngineOf } from '../src/pipeline/cloud.js';
import type { DataprocEngineOptions } from '../src/pipeline/engines/dataproc.js';
import { pipelineSettingsOf } from '../src/pipeline/settings.js';
import { createPipeline, type TickReport } from '../src/pipeline/tick.js';
import { openFirestoreStore } from '../src/store/firestore/index.js';
import type { Store } from '../src/store/index.js';

export interface CloudTickClients {
  readonly store?: Store;
  readonly storage?: Storage;
  /** Test clients and endpoints for the Dataproc engine. */
  readonly dataproc?: Partial<DataprocEngineOptions>;
}

export interface CloudTick {
  tick(): Promise<TickReport>;
  close(): Promise<void>;
}

export async function createCloudTick(config: Config, logger: Logger, clients: CloudTickClients = {}): Promise<CloudTick> {
  const projectId = config.GOOGLE_CLOUD_PROJECT;
  if (!projectId) throw new Error('GOOGLE_CLOUD_PROJECT is required on Google Cloud');
  const store = clients.store ?? (await openFirestoreStore({ projectId }));
  const storage = clients.storage ?? new Storage({ projectId });
  const parts = cloudPipelineParts(config, storage);
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
