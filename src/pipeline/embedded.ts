/**
 * The pipeline on one machine, wired from the config: run folders in DATA_DIR/runs, the local engine (ENGINE), the
 * start-up model, the tick and its timer. The server calls this once and hands `tick` and `nudge` to the app
 * (the services' tick and onPicksChanged, src/bootstrap/services.ts), and `stop` at shutdown.
 */
import { join } from 'node:path';
import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import type { Store } from '../store/index.js';
import { loadOrTrainBaseModel, modelPointerIn, type LoadedModel } from './base-model.js';
import { createLocalEngine } from './engines/create-local-engine.js';
import type { ModelSink } from './model-sink.js';
import { localRunFolders } from './run-files.js';
import { pipelineSettingsOf, runParamsOf } from './settings.js';
import { createPipeline, type TickReport } from './tick.js';
import { startTickTimer, type TickTimer } from './timer.js';

export interface EmbeddedPipelineDeps {
  readonly config: Config;
  readonly store: Store;
  readonly logger: Logger;
  /** The MovieLens folder whose ratings every run trains on (resolved at start-up). */
  readonly movielensDir: string;
  /** Gets the start-up model, then each run's. */
  readonly currentModel: ModelSink;
}

export interface EmbeddedPipeline {
  /** Where the start-up model came from. */
  readonly startModel: LoadedModel;
  readonly tick: () => Promise<TickReport>;
  /** For the services' onPicksChanged: tick soon. */
  readonly nudge: () => void;
  /** Stops the timer, then any training in progress (its users are retried at the next start). */
  readonly stop: () => Promise<void>;
}

export async function startEmbeddedPipeline({ config, store, logger, currentModel, movielensDir }: EmbeddedPipelineDeps): Promise<EmbeddedPipeline> {
  const log = logger.child({ part: 'pipeline' });
  const settings = pipelineSettingsOf(config);
  const params = runParamsOf(config, movielensDir);
  let timer: TickTimer | null = null;
  // A finished training is imported right away rather than at the next interval.
  const engine = createLocalEngine(config, { logger: log, onSettled: () => timer?.nudge() });
  const pointer = modelPointerIn(config.DATA_DIR);
  try {
    const startModel = await loadOrTrainBaseModel({ dataDir: config.DATA_DIR, params, engine, pointer, logger: log });
    currentModel.replace(startModel.model, { location: startModel.location });
    log.info({ source: startModel.source, location: startModel.location }, 'model loaded');
    const pipeline = createPipeline({
      store,
      engine,
      folders: localRunFolders(join(config.DATA_DIR, 'runs')),
      params,
      settings,
      currentModel,
      modelPointer: pointer,
      logger: log,
    });
    const running = startTickTimer({ tick: pipeline.tick, intervalMs: config.TICK_SECONDS * 1000, logger: log });
    timer = running;
    return {
      startModel,
      tick: pipeline.tick,
      nudge: () => running.nudge(),
      async stop() {
        await running.stop();
        await engine.close?.();
      },
    };
  } catch (err) {
    await engine.close?.();
    throw err;
  }
}
