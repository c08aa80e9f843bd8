/**
 * The Google Cloud pipeline end to end on this machine, every part a real protocol peer on loopback: Firestore
 * (Google's emulator) for state, Cloud Storage (fake-gcs-server) for run folders and the model pointer, Dataproc
 * (the gRPC stand-in from the client library's protos, which "runs" each batch with the real training), and the
 * Cloud Scheduler target behind OIDC. Then the app on App Engine's settings follows the model the tick published.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createSign, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express from 'express';
import request from 'supertest';
import type { Storage } from '@google-cloud/storage';
import { loadConfig, type Config } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { runInprocessJob } from '../../src/pipeline/engines/inprocess-job.js';
import { gcsRunFolder } from '../../src/pipeline/run-files-gcs.js';
import { ratingsPathIn } from '../../src/pipeline/settings.js';
import { CurrentModel } from '../../src/services/current-model.js';
import { openFirestoreStore } from '../../src/store/firestore/index.js';
import type { Store } from '../../src/store/index.js';
import { createCloudTick, startAppPipeline, type CloudTick } from '../../src/bootstrap/pipeline.js';
import { verifyCaller } from '../../jobs/oidc.js';
import { createTickHandler } from '../../jobs/tick-handler.js';
import { FakeDataproc, type FakeWork } from '../support/fake-dataproc.js';
import { startFakeGcs, type FakeGcs } from '../support/fake-gcs.js';
import { resetFirestore, startFirestoreEmulator, type FirestoreEmulator } from '../support/firestore-emulator.js';
import { movielensDir } from '../support/movielens.js';

const AUDIENCE = 'https://europe-west1-mh-e2e.cloudfunctions.net/moviehunter-tick';
const INVOKER = 'moviehunter-scheduler@mh-e2e.iam.gserviceaccount.com';
const BUCKET = 'mh-e2e';
const PICKS = [260, 1196, 1210, 2571, 1198];
const key = generateKeyPairSync('rsa', { modulusLength: 2048 });
const logger = createLogger({ NODE_ENV: 'test' });

let emulator: FirestoreEmulator;
let gcs: FakeGcs;
let storage: Storage;
let dataproc: FakeDataproc;
let store: Store;
let cloud: CloudTick;
let config: Config;
let server: express.Express;
const projectId = `e2e-${process.pid}`;

/** What Dataproc would do with a batch: the job on its run folder. Here the inprocess job on a local copy. */
async function runBatch(work: FakeWork): Promise<void> {
  const folder = gcsRunFolder(storage, work.args[0]);
  const local = mkdtempSync(join(tmpdir(), 'mh-batch-'));
  const params = JSON.parse(new TextDecoder().decode(await folder.read('params.json')));
  assert.equal(params.ratingsPath, `gs://${BUCKET}/movielens/ml-latest-small/ratings.csv`);
  writeFileSync(join(local, 'params.json'), JSON.stringify({ ...params, ratingsPath: ratingsPathIn(movielensDir()) }));
  writeFileSync(join(local, 'picks.jsonl'), (await folder.read('picks.jsonl'))!);
  await runInprocessJob(local, { threads: 1 });
  for (const name of ['recommendations.jsonl', 'model/item_factors.f32', 'model/manifest.json', 'metrics.json', '_SUCCESS']) {
    await folder.write(name, readFileSync(join(local, name)));
  }
}

function token(): string {
  const now = Math.floor(Date.now() / 1000);
  const claims = { iss: 'https://accounts.google.com', aud: AUDIENCE, email: INVOKER, email_verified: true, sub: '1', iat: now, exp: now + 600 };
  const encode = (part: object) => Buffer.from(JSON.stringify(part)).toString('base64url');
  const body = `${encode({ alg: 'RS256', typ: 'JWT', kid: 'k1' })}.${encode(claims)}`;
  return `${body}.${createSign('RSA-SHA256').update(body).sign(key.privateKey).toString('base64url')}`;
}

const callScheduler = () => request(server).post('/').set('Authorization', `Bearer ${token()}`).expect(200);

/** Scheduler calls until a run finishes (bounded: the stand-in advances a state per poll). */
async function tickUntilFinished(): Promise<Record<string, unknown>> {
  for (let i = 0; i < 12; i++) {
    const { body } = await callScheduler();
    assert.deepEqual(body.problems, []);
    if (body.finished.length > 0) return body.finished[0];
  }
  throw new Error('no run finished after 12 scheduler calls');
}

before(async () => {
  emulator = await startFirestoreEmulator();
  process.env.FIRESTORE_EMULATOR_HOST = emulator.host;
  gcs = await startFakeGcs();
  storage = gcs.storage();
  await gcs.createBucket(BUCKET);
  dataproc = await FakeDataproc.start({ run: runBatch });
  config = loadConfig({
    NODE_ENV: 'test',
    DATA_DIR: mkdtempSync(join(tmpdir(), 'mh-cloud-')),
    STORE: 'firestore',
    ENGINE: 'dataproc',
    GOOGLE_CLOUD_PROJECT: projectId,
    GCS_BUCKET: BUCKET,
    DATAPROC_REGION: 'europe-west1',
    ALS_RANK: '8',
    ALS_ITERATIONS: '3',
    TICK_AUDIENCE: AUDIENCE,
    TICK_INVOKER: INVOKER,
  });
  store = await openFirestoreStore({ projectId });
  cloud = await createCloudTick(config, logger, { store, storage, dataproc: { clientOptions: dataproc.clientOptions() } });
  const certs = async () => ({ k1: key.publicKey.export({ type: 'spki', format: 'pem' }).toString() });
  server = express();
  server.all('/', createTickHandler({ verify: (auth) => verifyCaller(auth, { audience: AUDIENCE, invoker: INVOKER, certs }), tick: cloud.tick, logger }));
});

after(async () => {
  await cloud?.close();
  await store?.close();
  await dataproc?.stop();
  await gcs?.stop();
  if (emulator) await resetFirestore(emulator.host, projectId).catch(() => undefined);
  await emulator?.stop();
});

test('the first scheduler call trains the first model; the app on Google Cloud serves it; a user goes pending → ready', async () => {
  // Nobody waiting and no model yet: a run without users, through Dataproc, publishes the first model.
  const first = await callScheduler();
  assert.equal(first.body.started.users, 0);
  assert.equal((await tickUntilFinished()).outcome, 'succeeded');
  const pointer = JSON.parse(new TextDecoder().decode(await gcsRunFolder(storage, `gs://${BUCKET}/models`).read('current.json')));
  assert.match(pointer.model, new RegExp(`^gs://${BUCKET}/runs/.+/model$`));
  assert.equal((await callScheduler()).body.started, null, 'a model exists: no second run without users');

  // The app (ENGINE=dataproc) does not tick; it follows the pointer and serves that model.
  const currentModel = new CurrentModel();
  const app = await startAppPipeline({ config, store, logger, movielensDir: movielensDir(), currentModel, storage });
  try {
    assert.equal(app.tick, undefined);
    assert.equal(currentModel.get()?.model.rank, 8);
  } finally {
    await app.stop();
  }

  // A user picks; two scheduler calls at once (a retried delivery) start one run, one batch.
  const user = await store.createUser({ username: 'cloudy', email: 'cloudy@example.com', passwordHash: 'x', now: Date.now() });
  await store.savePicks(user.id, PICKS, Date.now());
  const batchesBefore = dataproc.requestsOf('CreateBatch').length;
  const [a, b] = await Promise.all([callScheduler(), callScheduler()]);
  const started = [a.body.started, b.body.started].filter((s) => s !== null);
  assert.equal(started.length, 1, JSON.stringify([a.body, b.body]));
  assert.equal(started[0].users, 1);
  assert.equal(dataproc.requestsOf('CreateBatch').length, batchesBefore + 1);
  const batch = dataproc.requestsOf('CreateBatch').at(-1)!.batch;
  assert.equal(batch.pysparkBatch.mainPythonFileUri, `gs://${BUCKET}/spark/als_job.py`);
  assert.deepEqual(batch.pysparkBatch.pythonFileUris, [`gs://${BUCKET}/spark/moviehunter_als.zip`]);

  assert.equal((await tickUntilFinished()).outcome, 'succeeded');
  const status = await store.getUserStatus(user.id);
  assert.equal(status?.state, 'ready');
  const recs = await store.getRecommendations(user.id);
  assert.equal(recs?.candidates.length, 300);
  assert.ok(recs.candidates.every((item) => !PICKS.includes(item.movieId) && PICKS.includes(item.because)));
});
