import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readModelAt, writeModelAt } from '../../src/pipeline/model-folder.js';
import type { ItemFactorModel } from '../../src/recommend/model.js';

function randomModel(items: number, rank: number): ItemFactorModel {
  let seed = 1;
  const itemFactors = Float32Array.from({ length: items * rank }, () => ((seed = (seed * 16807) % 2147483647) / 2147483647 - 0.5));
  const itemIds = Int32Array.from({ length: items }, (_, i) => 3 * i + 1);
  const params = { rank, iterations: 15, regularization: 0.05, alpha: 2, ratingThreshold: 3.5, scaleRegularization: true, seed: 42 };
  return { rank, itemIds, itemFactors, params, engine: 'inprocess', trainedAt: new Date(0).toISOString() };
}

async function withFolder(body: (dir: string) => Promise<void>): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'model-folder-'));
  try {
    await body(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

test('writeModelAt then readModelAt round-trips bit for bit and leaves no temp files', () =>
  withFolder(async (dir) => {
    const model = randomModel(500, 8);
    await writeModelAt(join(dir, 'model'), model);
    assert.deepEqual((await readdir(join(dir, 'model'))).sort(), ['item_factors.f32', 'manifest.json']);
    const back = await readModelAt(join(dir, 'model'));
    assert.deepEqual(new Uint8Array(back.itemFactors.buffer), new Uint8Array(model.itemFactors.buffer));
    assert.deepEqual(back.itemIds, model.itemIds);
    assert.deepEqual(back.params, model.params);
    const bytes = await readFile(join(dir, 'model', 'item_factors.f32'));
    assert.equal(bytes.byteLength, 500 * 8 * 4);
    assert.equal(bytes.readFloatLE(4 * (8 * 7 + 3)), model.itemFactors[8 * 7 + 3]);
  }));

test('readModelAt names the missing manifest, and a truncated factors file with both sizes', () =>
  withFolder(async (dir) => {
    await assert.rejects(readModelAt(dir), { message: `${join(dir, 'manifest.json')}: missing (no model was written)` });
    await writeModelAt(dir, randomModel(10, 4));
    await truncate(join(dir, 'item_factors.f32'), 100);
    await assert.rejects(readModelAt(dir), { message: `${join(dir, 'item_factors.f32')}: 100 bytes, manifest says 10 × 4 × 4 = 160` });
    await rm(join(dir, 'item_factors.f32'));
    await assert.rejects(readModelAt(dir), /item_factors\.f32: missing, the manifest names it/);
    await writeFile(join(dir, 'manifest.json'), '{"format": "moviehunter-item-factors", "version": 1');
    await assert.rejects(readModelAt(dir), new RegExp(`${join(dir, 'manifest.json')}: not valid JSON`));
  }));

test('a rewrite replaces the model whole', () =>
  withFolder(async (dir) => {
    await writeModelAt(dir, randomModel(10, 4));
    const second = randomModel(20, 2);
    await writeModelAt(dir, second);
    const back = await readModelAt(dir);
    assert.equal(back.itemIds.length, 20);
    assert.deepEqual(back.itemFactors, second.itemFactors);
  }));
