/**
 * The app's side of the model on Google Cloud, where the tick runs in another process (jobs/): it reads the model
 * pointer every few seconds and puts a newer model in service. A pointer naming a model that cannot be read leaves
 * the model in service as it is (logged), and is tried again at the next look.
 */
import type { Logger } from '../log.js';
import type { ItemFactorModel } from '../recommend/model.js';
import type { ModelPointer } from './model-pointer.js';
import type { ModelSink } from './model-sink.js';

export interface ModelWatcherDeps {
  readonly pointer: ModelPointer;
  /** Reads the model folder a pointer names (readModelAt with the right clients). */
  readonly readModel: (location: string) => Promise<ItemFactorModel>;
  readonly currentModel: ModelSink;
  readonly intervalMs: number;
  readonly logger: Logger;
}

export interface ModelWatcher {
  /** Looks once now; true when a new model went into service. */
  check(): Promise<boolean>;
  /** The location of the model in service, or null before the first. */
  loaded(): string | null;
  stop(): void;
}

export function watchModel({ pointer, readModel, currentModel, intervalMs, logger }: ModelWatcherDeps): ModelWatcher {
  let loaded: string | null = null;
  let failedAt: string | null = null;
  let pointerProblem: string | null = null;
  let checking: Promise<boolean> | null = null;

  const look = async (): Promise<boolean> => {
    let problem: string | null = null;
    const location = await pointer.read((reason) => {
      problem = reason;
    });
    // Warned once per kind of damage, not at every look; said again once it is fixed and breaks anew.
    if (problem !== null && problem !== pointerProblem) logger.warn({ reason: problem }, 'the model pointer is unreadable; keeping the model in service');
    pointerProblem = problem;
    if (location === null || location === loaded) return false;
    try {
      const model = await readModel(location);
      currentModel.replace(model, { location });
      loaded = location;
      failedAt = null;
      logger.info({ location, engine: model.engine, trainedAt: model.trainedAt }, 'model in service');
      return true;
    } catch (err) {
      // Logged once per bad location, not at every look.
      if (failedAt !== location) logger.error({ err, location }, 'the new model cannot be read; keeping the one in service');
      failedAt = location;
      return false;
    }
  };
  const check = (): Promise<boolean> => {
    checking ??= look().finally(() => {
      checking = null;
    });
    return checking;
  };
  const timer = setInterval(() => {
    check().catch((err: unknown) => logger.warn({ err }, 'looking for a new model failed'));
  }, intervalMs);
  timer.unref();
  return { check, loaded: () => loaded, stop: () => clearInterval(timer) };
}
