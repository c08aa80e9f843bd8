/**
 * Both local engines train on the same protocol A split through ordinary run folders, and their models score within
 * 10% of each other (Recall@20), as `npm run evaluate -- --engines inprocess,spark-local` reports at full size.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadDataset } from '../../src/catalog/dataset.js';
import { loadConfig } from '../../src/config.js';
import { prepareKnownUserSplit, scoreEngine, scoreRunFolder } from '../../src/pipeline/engine-evaluation.js';
import { createLocalEngine } from '../../src/pipeline/engines/create-local-engine.js';
import { movielensDir } from '../support/movielens.js';
import { smallParams, tempDir } from './support.js';

test('inprocess and spark-local reach Recall@20 within 10% on ml-latest-small, and a run folder scores the same again', async () => {
  const { ratings } = await loadDataset(movielensDir());
  const dir = tempDir('parity-');
  const prepared = await prepareKnownUserSplit(ratings, 42, dir);
  const { ratingsPath: _unused, ...params } = smallParams({ rank: 16, iterations: 8 });
  const config = { ...loadConfig({ SPARK_MASTER: 'local[2]' }), RUN_TIMEOUT_SECONDS: 600 };

  const scores = [];
  for (const name of ['inprocess', 'spark-local'] as const) {
    const engine = createLocalEngine({ ...config, ENGINE: name });
    try {
      scores.push(await scoreEngine(engine, prepared, params, dir));
    } finally {
      await engine.close?.();
    }
  }
  const [inprocess, spark] = scores;
  assert.equal(inprocess.metrics.users, spark.metrics.users);
  // Far above popularity (0.155 at full size): both models learned something.
  for (const score of scores) assert.ok(score.metrics.recallAt20 > 0.2, `${score.engine}: Recall@20 ${score.metrics.recallAt20}`);
  const apart = Math.abs(inprocess.metrics.recallAt20 - spark.metrics.recallAt20) / Math.max(inprocess.metrics.recallAt20, spark.metrics.recallAt20);
  assert.ok(apart <= 0.1, `Recall@20 inprocess ${inprocess.metrics.recallAt20}, spark-local ${spark.metrics.recallAt20}: ${(apart * 100).toFixed(1)}% apart`);

  const again = await scoreRunFolder(spark.runFolder, prepared.split);
  assert.equal(again.model.engine, 'spark-local');
  assert.deepEqual(again.metrics, spark.metrics);
});
