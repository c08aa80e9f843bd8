/**
 * Where the app's model and batch runs come from, by ENGINE: on one machine (inprocess, spark-local) the embedded
 * pipeline trains at start-up and ticks on a timer; with dataproc the tick runs in the Cloud Scheduler target
 * (jobs/), and the app only follows the model pointer in Cloud Storage.
 */
import { Storage } from '@google-cloud/storage';
import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import { startEmbeddedPipeline } from '../pipeline/index.js';
import { cloudPipelineParts } from '../pipeline/cloud.js';
import { readModelAt } from '../pipeline/model-folder.js';
import type { ModelSink } from '../pipeline/model-sink.js';
import { watchModel } from '../pipeline/model-watcher.js';
import type { TickReport } from '../pipeline/tick.js';
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
  const storage = deps.storage ?? new Storage({ projectId: config.GOOGLE_CLOUD_PROJECT });
  const { pointer } = cloudPipelineParts(config, storage);
  const watcher = watchModel({
    pointer,
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
