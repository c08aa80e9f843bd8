/**
 * The deployed entry point itself (jobs/index.ts), loaded as Cloud Functions loads it: the `tick` function is
 * registered with the Functions Framework and refuses callers without the scheduler's token before touching anything.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';

test('jobs/index registers `tick`, which answers 401 without a token and 405 to GET, building no cloud client', async () => {
  Object.assign(process.env, {
    NODE_ENV: 'production',
    SESSION_SECRET: 'x'.repeat(40),
    STORE: 'firestore',
    ENGINE: 'dataproc',
    GOOGLE_CLOUD_PROJECT: 'entry-test',
    GCS_BUCKET: 'entry-test-bucket',
    DATAPROC_REGION: 'europe-west1',
    TICK_AUDIENCE: 'https://europe-west1-entry-test.cloudfunctions.net/moviehunter-tick',
    TICK_INVOKER: 'scheduler@entry-test.iam.gserviceaccount.com',
    LOG_LEVEL: 'silent',
  });
  await import('../../jobs/index.js');
  const { getTestServer } = await import('@google-cloud/functions-framework/testing');
  const server = getTestServer('tick');
  const refused = await request(server).post('/').send({});
  assert.equal(refused.status, 401);
  assert.equal(refused.body.error.code, 'unauthenticated');
  const get = await request(server).get('/');
  assert.equal(get.status, 405);
});
