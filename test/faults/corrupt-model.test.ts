/**
 * A corrupt model artifact never replaces the model in service. (A run whose model is damaged is failed and its model
 * never adopted: engine-faults.test.ts.) Here the two other ways a model is read: the start-up, which follows the
 * model pointer and falls back to the base model, and the Google Cloud app's model watcher, which keeps the model
 * it serves until the pointer names a model that reads whole — for every way a model folder can be damaged.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdir, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { createLogger } from '../../src/log.js';
import { baseModelDirIn, loadOrTrainBaseModel, modelPointerIn } from '../../src/pipeline/base-model.js';
import { fileModelPointer } from '../../src/pipeline/model-pointer.js';
import { readModelAt, writeModelAt } from '../../src/pipeline/model-folder.js';
import { watchModel } from '../../src/pipeline/model-watcher.js';
import { CurrentModel } from '../../src/services/current-model.js';
import { FailingEngine, smallParams, tempDir } from '../pipeline/support.js';
import { smallModel } from '../support/small-model.js';

/** Ways to damage a model folder written by writeModelAt, each as a disk, a bad engine or an attacker might. */
const DAMAGE: Record<string, (dir: string) => Promise<void>> = {
  'factors cut short': (dir) => truncate(join(dir, 'item_factors.f32'), 4096),
  'factors file gone': (dir) => rm(join(dir, 'item_factors.f32')),
  'factors of NaN': async (dir) => {
    const bytes = await readFile(join(dir, 'item_factors.f32'));
    bytes.writeFloatLE(Number.NaN, 0);
    await writeFile(join(dir, 'item_factors.f32'), bytes);
  },
  'manifest not JSON': (dir) => writeFile(join(dir, 'manifest.json'), '{"format": "moviehunter-item-factors", '),
  'manifest empty': (dir) => writeFile(join(dir, 'manifest.json'), ''),
  'manifest counting more items than the factors hold': async (dir) => {
    const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as { itemIds: number[]; itemCount: number };
    manifest.itemIds.push(9_999_999);
    manifest.itemCount += 1;
    await writeFile(join(dir, 'manifest.json'), JSON.stringify(manifest));
  },
  'manifest naming a file outside the folder': async (dir) => {
    const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as { file: string };
    manifest.file = '../../../etc/passwd';
    await writeFile(join(dir, 'manifest.json'), JSON.stringify(manifest));
  },
  'manifest of a newer version': async (dir) => {
    const manifest = JSON.parse(await readFile(join(dir, 'manifest.json'), 'utf8')) as { version: number };
    manifest.version = 99;
    await writeFile(join(dir, 'manifest.json'), JSON.stringify(manifest));
  },
};

/** A good model folder, then a damaged copy of it per kind of damage. */
async function damagedModels(root: string): Promise<{ good: string; damaged: [string, string][] }> {
  const model = await smallModel();
  const good = join(root, 'good');
  await writeModelAt(good, model);
  const damaged: [string, string][] = [];
  for (const [name, damage] of Object.entries(DAMAGE)) {
    const dir = join(root, name.replace(/\W+/g, '-'));
    await writeModelAt(dir, { ...model, engine: 'damaged' });
    await damage(dir);
    await assert.rejects(readModelAt(dir), `${name}: the damaged model still reads`);
    damaged.push([name, dir]);
  }
  return { good, damaged };
}

test('start-up: a pointer to a corrupt model falls back to the base model (never trains over it, never serves it)', async () => {
  const dataDir = tempDir('corrupt-start-');
  const model = await smallModel();
  await writeModelAt(baseModelDirIn(dataDir), model);
  const { damaged } = await damagedModels(join(dataDir, 'runs'));
  // An engine that fails: any attempt to train instead of loading would show.
  const engine = new FailingEngine('must not train');
  for (const [name, dir] of damaged) {
    await modelPointerIn(dataDir).write(dir);
    const loaded = await loadOrTrainBaseModel({ dataDir, params: smallParams(), engine, logger: createLogger({ NODE_ENV: 'test' }) });
    assert.equal(loaded.source, 'base', name);
    assert.deepEqual(loaded.model.itemFactors, model.itemFactors, name);
  }
  // A pointer file that is itself damaged is no pointer.
  await mkdir(join(dataDir, 'models'), { recursive: true });
  await writeFile(join(dataDir, 'models', 'current.json'), '{"model": ');
  assert.equal((await loadOrTrainBaseModel({ dataDir, params: smallParams(), engine })).source, 'base');
  assert.deepEqual(engine.submitted, []);
});

test('the model watcher keeps the model in service through every corrupt model, then takes the next good one', async () => {
  const root = tempDir('corrupt-watch-');
  const { good, damaged } = await damagedModels(root);
  const pointer = fileModelPointer(join(root, 'current.json'));
  const currentModel = new CurrentModel();
  const watcher = watchModel({ pointer, readModel: (location) => readModelAt(location), currentModel, intervalMs: 3_600_000, logger: createLogger({ NODE_ENV: 'test' }) });
  try {
    await pointer.write(good);
    assert.equal(await watcher.check(), true);
    const serving = currentModel.inService();
    assert.equal(serving?.source?.location, good);
    for (const [name, dir] of damaged) {
      await pointer.write(dir);
      assert.equal(await watcher.check(), false, name);
      assert.equal(currentModel.inService(), serving, `${name}: the model in service changed`);
      assert.equal(watcher.loaded(), good);
    }
    await writeFile(join(root, 'current.json'), 'not json at all');
    assert.equal(await watcher.check(), false);
    assert.equal(currentModel.inService(), serving);

    // A good model named next is taken at once.
    const next = join(root, 'next');
    await writeModelAt(next, { ...(await smallModel()), engine: 'next' });
    await pointer.write(next);
    assert.equal(await watcher.check(), true);
    assert.equal(currentModel.inService()?.source?.location, next);
  } finally {
    watcher.stop();
  }
});
