import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { baseModelDirIn, loadOrTrainBaseModel, modelPointerIn } from '../../src/pipeline/base-model.js';
import { writeModelAt } from '../../src/pipeline/model-folder.js';
import { smallParams, tempDir, testEngine, testWorker } from './support.js';

test('first start trains a base model on the ratings alone and keeps it; the next start loads it', async () => {
  const dataDir = tempDir('data-');
  const engine = testEngine();
  const first = await loadOrTrainBaseModel({ dataDir, params: smallParams(), engine });
  assert.equal(first.source, 'trained');
  assert.equal(first.location, baseModelDirIn(dataDir));
  assert.equal(first.model.engine, 'inprocess');
  assert.equal(first.model.itemIds.length, 9724);
  assert.deepEqual(await readdir(join(dataDir, 'models')), ['base'], 'the training folder is gone');

  const second = await loadOrTrainBaseModel({ dataDir, params: smallParams(), engine });
  assert.equal(second.source, 'base');
  assert.deepEqual(second.model.itemFactors, first.model.itemFactors);

  // After a run, its model (named by the pointer the tick writes) is the newest.
  const runModel = join(dataDir, 'runs', 'r1', 'model');
  await writeModelAt(runModel, { ...first.model, engine: 'spark-local' });
  await modelPointerIn(dataDir).write(runModel);
  const third = await loadOrTrainBaseModel({ dataDir, params: smallParams(), engine });
  assert.equal(third.source, 'latest-run');
  assert.equal(third.model.engine, 'spark-local');

  // A pointer to a model that is gone falls back to the base model.
  await modelPointerIn(dataDir).write(join(dataDir, 'runs', 'gone', 'model'));
  assert.equal((await loadOrTrainBaseModel({ dataDir, params: smallParams(), engine })).source, 'base');
});

test('a failed base training is an error with the reason, leaving nothing behind', async () => {
  const dataDir = tempDir('data-');
  const engine = testEngine({ workerUrl: testWorker('crash') });
  await assert.rejects(
    loadOrTrainBaseModel({ dataDir, params: smallParams(), engine }),
    { message: 'training the base model failed: the worker exited with code 7 before finishing' },
  );
  assert.deepEqual(await readdir(join(dataDir, 'models')), []);
});
