/**
 * Run folders in Cloud Storage, against a real emulator (fake-gcs-server on loopback) and the real client:
 * the RunFolder contract, then the run-folder files, the model and the model pointer on gs://, and the failures.
 */
// The client must never look for Google credentials here: if it tried, this file would make it fail loudly.
process.env.GOOGLE_APPLICATION_CREDENTIALS = '/nonexistent/moviehunter-test-credentials.json';
process.env.METADATA_SERVER_DETECTION = 'none';

import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Storage } from '@google-cloud/storage';
import { openFolder } from '../../src/pipeline/folder-location.js';
import { readModel, readModelAt, writeModel } from '../../src/pipeline/model-folder.js';
import { folderModelPointer } from '../../src/pipeline/model-pointer.js';
import { gcsRunFolder, gcsRunFolders, parseGcsUri } from '../../src/pipeline/run-files-gcs.js';
import { readClaims, readRunInput, writeClaims, writeRunInput, type RunUser } from '../../src/pipeline/run-folder.js';
import { readRunOutput } from '../../src/pipeline/run-output.js';
import type { ItemFactorModel } from '../../src/recommend/model.js';
import { startFakeGcs, type FakeGcs } from '../support/fake-gcs.js';
import { runFolderContract } from './run-folder-contract.js';
import { smallParams } from './support.js';

const BUCKET = 'moviehunter-test';
let counter = 0;
const escape = (text: string): string => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const unique = (what: string): string => `${what}-${process.pid}-${++counter}`;

runFolderContract('Cloud Storage (fake-gcs-server)', async () => {
  const gcs = await startFakeGcs();
  const storage = gcs.storage();
  await gcs.createBucket(BUCKET);
  return {
    folder: () => gcsRunFolder(storage, `gs://${BUCKET}/contract/${unique('folder')}`),
    folders: () => gcsRunFolders(storage, `gs://${BUCKET}/${unique('runs')}`),
    close: () => gcs.stop(),
  };
});

const params = smallParams({ rank: 4 });
const users: RunUser[] = [
  { user: 'u-1', movies: [1, 2, 3, 4, 5] },
  { user: 'u-2', movies: [10, 20, 30, 40, 50] },
];

function model(items: number, rank = 4): ItemFactorModel {
  const itemFactors = Float32Array.from({ length: items * rank }, (_, i) => Math.sin(i));
  const modelParams = { rank, iterations: 3, regularization: 0.5, alpha: 2, ratingThreshold: null, scaleRegularization: true, seed: 42 };
  return { rank, itemIds: Int32Array.from({ length: items }, (_, i) => i * 3 + 1), itemFactors, params: modelParams, engine: 'test', trainedAt: new Date(0).toISOString() };
}

function recommendationLine(user: RunUser, m: ItemFactorModel): string {
  const picked = new Set(user.movies);
  const movies = Array.from(m.itemIds).filter((id) => !picked.has(id)).slice(0, params.candidates);
  return JSON.stringify({ user: user.user, items: movies.map((movie, i) => ({ movie, score: 10 - i / 10 })) });
}

describe('Cloud Storage run folders', () => {
  let gcs: FakeGcs;
  let storage: Storage;
  before(async () => {
    gcs = await startFakeGcs();
    storage = gcs.storage();
    await gcs.createBucket(BUCKET);
  });
  after(async () => {
    await gcs?.stop();
  });

  test('locations: gs://bucket/prefix is checked and normalized; the bucket top works too', () => {
    assert.deepEqual(parseGcsUri('gs://b-1/runs/x/'), { bucket: 'b-1', prefix: 'runs/x' });
    assert.deepEqual(parseGcsUri('gs://b-1'), { bucket: 'b-1', prefix: '' });
    assert.equal(gcsRunFolder(storage, `gs://${BUCKET}/runs/r1/`).location, `gs://${BUCKET}/runs/r1`);
    assert.equal(gcsRunFolder(storage, `gs://${BUCKET}`).pathOf('model/manifest.json'), `gs://${BUCKET}/model/manifest.json`);
    assert.equal(gcsRunFolders(storage, `gs://${BUCKET}/runs/`).folder('r1').location, `gs://${BUCKET}/runs/r1`);
    for (const bad of ['gs://', 'gs://Bad_Bucket/x', 'gs://b/x//y', 'gs://b/../x', 'gs://bucket/./x', '/local/path', 's3://b/x']) {
      assert.throws(() => gcsRunFolder(storage, bad), /is not a Cloud Storage folder \(gs:\/\/bucket\/prefix\)/, bad);
    }
  });

  test('openFolder: gs:// needs a Storage client; local paths stay local; other schemes are refused', () => {
    const uri = `gs://${BUCKET}/runs/r1`;
    assert.equal(openFolder(uri, { storage }).location, uri);
    assert.throws(() => openFolder(uri, {}), { message: `${uri} is in Cloud Storage, but no Cloud Storage client was given to open it` });
    assert.equal(openFolder('/tmp/moviehunter/runs/r1', {}).location, '/tmp/moviehunter/runs/r1');
    assert.equal(openFolder('relative/run', { storage }).location, `${process.cwd()}/relative/run`);
    assert.throws(() => openFolder('s3://bucket/runs', { storage }), /s3:\/\/ folders are not supported/);
  });

  test('a model written through the folder is read back whole by readModel, and nothing else is left in the bucket', async () => {
    const uri = `gs://${BUCKET}/runs/${unique('model')}`;
    const folder = gcsRunFolder(storage, uri);
    const written = model(2500, 16); // 160 KB of factors
    await writeModel(folder, 'model', written);
    const read = await readModel(gcsRunFolder(storage, uri), 'model');
    assert.equal(read.rank, 16);
    assert.deepEqual(read.itemIds, written.itemIds);
    assert.deepEqual(read.itemFactors, written.itemFactors);
    assert.deepEqual(read.params, written.params);
    assert.equal(read.engine, 'test');
    assert.equal(read.trainedAt, written.trainedAt);
    assert.deepEqual(await readModelAt(`${uri}/model`, { storage }), read);

    assert.equal(storage.retryOptions.autoRetry, true, 'writing leaves the client retrying reads');
    const [files] = await storage.bucket(BUCKET).getFiles({ prefix: `${parseGcsUri(uri).prefix}/` });
    assert.deepEqual(files.map((f) => f.name).sort(), [`${parseGcsUri(uri).prefix}/model/item_factors.f32`, `${parseGcsUri(uri).prefix}/model/manifest.json`]);
  });

  test('a broken model on gs:// is an error naming the gs:// object', async () => {
    const folder = gcsRunFolder(storage, `gs://${BUCKET}/runs/${unique('broken')}`);
    await assert.rejects(readModel(folder, 'model'), { message: `${folder.pathOf('model/manifest.json')}: missing (no model was written)` });
    await writeModel(folder, 'model', model(100));
    await folder.write('model/item_factors.f32', new Uint8Array(100));
    await assert.rejects(readModel(folder, 'model'), { message: `${folder.pathOf('model/item_factors.f32')}: 100 bytes, manifest says 100 × 4 × 4 = 1,600` });
  });

  test('a whole run on gs://: writeRunInput / readRunInput, claims, outputs, _SUCCESS, readRunOutput', async () => {
    const folders = gcsRunFolders(storage, `gs://${BUCKET}/${unique('runs')}`);
    const folder = folders.folder('20250101T000000000Z-abc123');
    await writeRunInput(folder, { users, params });
    assert.equal(new TextDecoder().decode(await folder.read('picks.jsonl')), '{"user":"u-1","movies":[1,2,3,4,5]}\n{"user":"u-2","movies":[10,20,30,40,50]}\n');
    assert.deepEqual(await readRunInput(folder), { users, params });
    await writeClaims(folder, new Map([['u-1', 3], ['u-2', 1]]));
    assert.deepEqual(await readClaims(folder), new Map([['u-1', 3], ['u-2', 1]]));

    const m = model(200);
    await folder.write('recommendations.jsonl', `${users.map((u) => recommendationLine(u, m)).join('\n')}\n`);
    await writeModel(folder, 'model', m);
    await folder.write('metrics.json', '{"seconds": {"train": 1}}');
    assert.equal(await readRunOutput(folder, users), null, 'no _SUCCESS yet');
    await folder.write('_SUCCESS', '');
    const output = await readRunOutput(folders.folder('20250101T000000000Z-abc123'), users);
    assert.ok(output);
    // Only picks 1 and 4 of u-1 are in the model (ids 1, 4, 7, …): the others are neither excluded nor explain.
    assert.equal(output.candidates.get('u-1')!.length, Math.min(params.candidates, 200 - 2));
    assert.ok(output.candidates.get('u-1')!.every((c) => c.because === 1 || c.because === 4));
    assert.deepEqual(output.model.itemFactors, m.itemFactors);
    assert.deepEqual(output.metrics, { seconds: { train: 1 } });
    await assert.rejects(writeRunInput(folder, { users, params }), { message: `${folder.location}: already holds a finished run` });

    await folder.write('picks.jsonl', '{"user":"a","movies":[1,2]}\n{"user":"b","movies":[3,3]}\n');
    await assert.rejects(readRunInput(folder), { message: `${folder.pathOf('picks.jsonl')}:2: movie 3 is picked twice` });
  });

  test('the model pointer on gs://: none, written, replaced, damaged; the model it names loads', async () => {
    const models = gcsRunFolder(storage, `gs://${BUCKET}/${unique('models')}`);
    const pointer = folderModelPointer(models, 'current.json');
    assert.equal(await pointer.read(), null);

    const run = gcsRunFolders(storage, `gs://${BUCKET}/${unique('runs')}`).folder('r1');
    const m = model(50, 8);
    await writeModel(run, 'model', m);
    await pointer.write(run.pathOf('model'));
    assert.equal(await pointer.read(), `${run.location}/model`);
    assert.equal(await folderModelPointer(models, 'current.json').read(), `${run.location}/model`, 'a new pointer object sees it');
    const saved = JSON.parse(new TextDecoder().decode(await models.read('current.json')));
    assert.equal(saved.model, `${run.location}/model`);
    assert.ok(!Number.isNaN(Date.parse(saved.savedAt)));
    assert.deepEqual((await readModelAt((await pointer.read())!, { storage })).itemFactors, m.itemFactors);

    await pointer.write(`gs://${BUCKET}/runs/r2/model`);
    assert.equal(await pointer.read(), `gs://${BUCKET}/runs/r2/model`);
    await models.write('current.json', '{"model": ');
    assert.equal(await pointer.read(), null, 'damaged: the caller falls back to the base model');
    await models.write('current.json', '{"model": 7}');
    assert.equal(await pointer.read(), null);
    assert.throws(() => folderModelPointer(models, '../current.json'), /not a file name inside the run folder/);
  });

  test('a missing bucket is an error naming the bucket, for read, write and exists', async () => {
    const folder = gcsRunFolders(storage, 'gs://moviehunter-x/runs').folder('r1');
    const message = `gs://moviehunter-x/runs/r1/params.json: bucket moviehunter-x does not exist`;
    await assert.rejects(folder.read('params.json'), { message });
    await assert.rejects(folder.exists('params.json'), { message });
    await assert.rejects(folder.write('params.json', '{}'), { message });
    await assert.rejects(writeRunInput(folder, { users, params }), /bucket moviehunter-x does not exist/);
    await assert.rejects(readModelAt('gs://moviehunter-x/runs/r1/model', { storage }), /bucket moviehunter-x does not exist/);
    assert.equal(await folderModelPointer(folder, 'current.json').read(), null);
    // The bucket's existence is remembered, not its absence: once it is created, the folder works.
    await gcs.createBucket('moviehunter-x');
    assert.equal(await folder.read('params.json'), null);
    await folder.write('params.json', '{}');
    assert.equal(await folder.exists('params.json'), true);
  });
});

test('without credentials, a client that wants them fails with the reason, for writes too', async () => {
  const gcs = await startFakeGcs();
  try {
    await gcs.createBucket(BUCKET);
    // As against the real service: the client asks google-auth-library, which finds no credentials here.
    const folder = gcsRunFolder(gcs.storage({ useAuthWithCustomEndpoint: true }), `gs://${BUCKET}/runs/r1`);
    const reason = /gs:\/\/moviehunter-test\/runs\/r1\/params\.json: cannot (read|write|check): The file at \/nonexistent\/moviehunter-test-credentials\.json does not exist/;
    await assert.rejects(folder.write('params.json', '{}'), reason);
    await assert.rejects(folder.read('params.json'), reason);
    await assert.rejects(folder.exists('params.json'), reason);
  } finally {
    await gcs.stop();
  }
});

test('a stopped server: reads, writes and checks fail quickly with an error naming the object and the cause', async () => {
  const gcs = await startFakeGcs();
  try {
    const storage = gcs.storage();
    await gcs.createBucket(BUCKET);
    const folder = gcsRunFolder(storage, `gs://${BUCKET}/runs/r1`);
    await folder.write('params.json', '{}');
    assert.equal(await folder.exists('params.json'), true);
    await gcs.stop();

    // ECONNREFUSED, or ECONNRESET when the client reuses a kept-alive connection the server closed on its way out.
    const cause = `(Cloud Storage at ${escape(gcs.endpoint)} is unreachable \\(ECONNREFUSED\\)|the connection to Cloud Storage at ${escape(gcs.endpoint)} failed \\(ECONNRESET\\))`;
    const unreachable = (name: string, action: string) => (err: Error) => {
      assert.match(err.message, new RegExp(`^${escape(folder.pathOf(name))}: cannot ${action}: ${cause}$`));
      assert.equal((err as { cause?: unknown }).cause, undefined, 'no client error (and its request) attached');
      return true;
    };
    const started = Date.now();
    await assert.rejects(folder.read('params.json'), unreachable('params.json', 'read'));
    await assert.rejects(folder.exists('_SUCCESS'), unreachable('_SUCCESS', 'check'));
    await assert.rejects(folder.write('picks.jsonl', 'x'), unreachable('picks.jsonl', 'write'));
    await assert.rejects(readModel(folder, 'model'), unreachable('model/manifest.json', 'read'));
    assert.equal(await folderModelPointer(folder, 'current.json').read(), null, 'an unreadable pointer is no pointer');
    const seconds = (Date.now() - started) / 1000;
    assert.ok(seconds < 15, `took ${seconds} s`);
  } finally {
    await gcs.stop();
  }
});
