/** The engine that runs on this machine, chosen by ENGINE: inprocess (worker thread) or spark-local (spark/als_job.py). */
import { resolve } from 'node:path';
import type { Config } from '../../config.js';
import { repoRoot } from '../../paths.js';
import type { AwaitableEngine } from './engine.js';
import { InprocessEngine } from './inprocess.js';
import type { LocalEngineOptions } from './local-engine.js';
import { SparkLocalEngine } from './spark-local.js';

/** Everything but the timeout, which comes from the config. */
export type CreateLocalEngineOptions = Omit<LocalEngineOptions, 'timeoutMs'>;

/** The PySpark job every Spark engine runs. */
export const SPARK_JOB_PATH = resolve(repoRoot, 'spark', 'als_job.py');

export function createLocalEngine(
  config: Pick<Config, 'ENGINE' | 'RUN_TIMEOUT_SECONDS' | 'SPARK_PYTHON' | 'SPARK_MASTER' | 'ALS_KERNELS'>,
  options: CreateLocalEngineOptions = {},
): AwaitableEngine {
  const timeoutMs = config.RUN_TIMEOUT_SECONDS * 1000;
  switch (config.ENGINE) {
    case 'inprocess':
      return new InprocessEngine({ timeoutMs, kernels: config.ALS_KERNELS, ...options });
    case 'spark-local':
      return new SparkLocalEngine({ python: config.SPARK_PYTHON, jobPath: SPARK_JOB_PATH, master: config.SPARK_MASTER, timeoutMs, ...options });
    default:
      throw new Error(`ENGINE=${config.ENGINE} does not run on this machine; use ENGINE=inprocess or ENGINE=spark-local`);
  }
}
