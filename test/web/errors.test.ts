import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import type { ItemFactorModel } from '../../src/recommend/model.js';
import { CurrentModel } from '../../src/services/current-model.js';
import { alice, apiToken, failing, formToken, makeApp, signedUp } from './support.js';

describe('errors', () => {
  test('an unknown route is a 404: JSON on the API, a page elsewhere', async () => {
    const t = await makeApp();
    try {
      const api = await request(t.app).get('/api/v1/nothing-here').expect(404).expect('Content-Type', /json/);
      assert.deepEqual(api.body, { error: { code: 'not_found', message: 'No such resource.' } });
      await request(t.app).get('/api').expect(404).expect('Content-Type', /json/);
      const page = await request(t.app).get('/no/such/page').expect(404).expect('Content-Type', /html/);
      assert.match(page.text, /<h1>Page not found<\/h1>/);
    } finally {
      await t.close();
    }
  });

  test('an unexpected error is a 500 in the error shape, without its message or stack, and is logged with the request id', async () => {
    const t = await makeApp({ captureLogs: true, wrapStore: failing('findUserByUsername', 'kaboom in /secret/path') });
    try {
      const agent = request.agent(t.app);
      const token = await apiToken(agent);
      const res = await agent
        .post('/api/v1/session')
        .set('X-CSRF-Token', token)
        .set('X-Request-Id', 'req-500-test')
        .send({ username: 'alice', password: 'whatever1' })
        .expect(500);
      assert.deepEqual(res.body, { error: { code: 'internal', message: 'Something went wrong on our side.' } });
      assert.doesNotMatch(res.text, /kaboom|secret|\bat\b/);

      const logged = t.logs.find((line) => line.msg === 'request failed');
      assert.ok(logged, 'the error is logged');
      assert.equal(logged.reqId, 'req-500-test');
      assert.equal(logged.level, 50);
      assert.match(String((logged.err as { stack?: string }).stack), /kaboom/);

      const page = await agent.get('/login');
      const html = await agent
        .post('/login')
        .type('form')
        .send({ _csrf: formToken(page.text), username: 'alice', password: 'whatever1' })
        .expect(500)
        .expect('Content-Type', /html/);
      assert.match(html.text, /Something went wrong/);
      assert.doesNotMatch(html.text, /kaboom|secret|\.js:\d+/);
    } finally {
      await t.close();
    }
  });

  test('an unreachable store is a 503, and readyz says not ready', async () => {
    const t = await makeApp();
    const { agent, token } = await signedUp(t.app, alice);
    const ready = await request(t.app).get('/readyz'); // the model's check is the next test's
    assert.equal(ready.body.checks.store, 'ok');

    await t.close();
    const res = await agent.post('/api/v1/session').set('X-CSRF-Token', token).send(alice).expect(503);
    assert.equal(res.body.error.code, 'service_unavailable');
    assert.ok(res.headers['retry-after']);
    const notReady = await request(t.app).get('/readyz').expect(503);
    assert.equal(notReady.body.ok, false);
    assert.equal(notReady.body.checks.store, 'failed');
    await request(t.app).get('/healthz').expect(200, { ok: true });
  });

  test('readiness waits for the model as well as the store', async () => {
    const currentModel = new CurrentModel();
    const t = await makeApp({ services: { currentModel } });
    try {
      const before = await request(t.app).get('/readyz').expect(503);
      assert.deepEqual(before.body, { ok: false, checks: { store: 'ok', model: 'failed' } });
      currentModel.replace(TINY_MODEL);
      const after = await request(t.app).get('/readyz').expect(200);
      assert.deepEqual(after.body, { ok: true, checks: { store: 'ok', model: 'ok' } });
    } finally {
      await t.close();
    }
  });
});

/** Three items, rank 2: enough to be a model in service. */
const TINY_MODEL: ItemFactorModel = {
  rank: 2,
  itemIds: Int32Array.from([1, 2, 3]),
  itemFactors: Float32Array.from([1, 0, 0, 1, 1, 1]),
  params: { rank: 2, iterations: 3, regularization: 0.5, alpha: 2, ratingThreshold: null, scaleRegularization: true, seed: 7 },
  engine: 'inprocess',
  trainedAt: '2025-03-01T12:00:20.000Z',
};
