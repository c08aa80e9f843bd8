import { test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { localRunFolders } from '../../src/pipeline/run-files.js';
import { createPipeline, type Pipeline } from '../../src/pipeline/tick.js';
import { makeApp } from '../web/support.js';
import { HangingEngine, PICKS, logger, pendingUser, settings, smallParams, tempDir } from './support.js';

const TOKEN = 'a-scheduler-token-of-32-characters';

test('without a configured TICK_TOKEN the route does not exist', async () => {
  let calls = 0;
  const t = await makeApp({ services: { tick: async () => ++calls } });
  try {
    await request(t.app).post('/internal/tick').set('Authorization', `Bearer ${TOKEN}`).expect(404);
    await request(t.app).post('/internal/tick').expect(404);
    assert.equal(calls, 0);
  } finally {
    await t.close();
  }
  const noPipeline = await makeApp({ env: { TICK_TOKEN: TOKEN } });
  try {
    await request(noPipeline.app).post('/internal/tick').set('Authorization', `Bearer ${TOKEN}`).expect(404);
  } finally {
    await noPipeline.close();
  }
});

test('a missing or wrong token gets 401 and never ticks', async () => {
  let calls = 0;
  const t = await makeApp({ env: { TICK_TOKEN: TOKEN }, services: { tick: async () => ++calls } });
  try {
    const missing = await request(t.app).post('/internal/tick').expect(401);
    assert.equal(missing.headers['www-authenticate'], 'Bearer');
    assert.equal(missing.body.error.code, 'unauthorized');
    for (const header of [`Bearer ${TOKEN}x`, `Bearer ${TOKEN.slice(0, -1)}`, `Basic ${TOKEN}`, TOKEN, 'Bearer ']) {
      await request(t.app).post('/internal/tick').set('Authorization', header).expect(401);
    }
    await request(t.app).get('/internal/tick').set('Authorization', `Bearer ${TOKEN}`).expect(404);
    assert.equal(calls, 0);
  } finally {
    await t.close();
  }
});

test('the right token runs one tick of the pipeline and answers its report', async () => {
  let pipeline: Pipeline | null = null;
  const t = await makeApp({ env: { TICK_TOKEN: TOKEN }, services: { tick: () => pipeline!.tick() } });
  try {
    const engine = new HangingEngine();
    pipeline = createPipeline({ store: t.store, engine, folders: localRunFolders(tempDir('runs-')), params: smallParams(), settings, logger });
    await pendingUser(t.store, 'alice', PICKS.classics, Date.now());
    const res = await request(t.app).post('/internal/tick').set('Authorization', `bearer ${TOKEN}`).expect(200);
    assert.equal(res.headers['cache-control'], 'no-store');
    assert.equal(res.body.skipped, null);
    assert.equal(res.body.started.users, 1);
    assert.deepEqual(engine.submitted, [res.body.started.runId]);
    const again = await request(t.app).post('/internal/tick').set('Authorization', `Bearer ${TOKEN}`).expect(200);
    assert.deepEqual(again.body.running, [res.body.started.runId]);
  } finally {
    await t.close();
  }
});

test('a tick that throws answers a JSON 500 without details', async () => {
  const t = await makeApp({ env: { TICK_TOKEN: TOKEN }, services: { tick: async () => { throw new Error('secret internals'); } } });
  try {
    const res = await request(t.app).post('/internal/tick').set('Authorization', `Bearer ${TOKEN}`).expect(500);
    assert.ok(res.body.error);
    assert.doesNotMatch(JSON.stringify(res.body), /secret internals/);
  } finally {
    await t.close();
  }
});
