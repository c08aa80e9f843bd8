import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import bcrypt from 'bcrypt';
import request from 'supertest';
import type { EvaluationStatus } from '../../src/operations/evaluation-report.js';
import type { ItemFactorModel } from '../../src/recommend/model.js';
import { CurrentModel } from '../../src/services/current-model.js';
import { alice, apiToken, makeApp, signedUp, type TestApp } from './support.js';

const T0 = Date.parse('2025-03-01T12:00:00Z');

const model: ItemFactorModel = {
  rank: 2,
  itemIds: Int32Array.from([1, 2, 3]),
  itemFactors: Float32Array.from([1, 0, 0, 1, 1, 1]),
  params: { rank: 2, iterations: 3, regularization: 0.5, alpha: 2, ratingThreshold: null, scaleRegularization: true, seed: 7 },
  engine: 'inprocess',
  trainedAt: '2025-03-01T12:00:20.000Z',
};

const found: EvaluationStatus = {
  state: 'found',
  file: 'artifacts/evaluation-ml-latest-small.json',
  writtenAt: T0,
  tables: [{ protocol: 'A', description: 'known users', evaluatedUsers: 608, metrics: ['Recall@20'], rows: [{ model: 'als', values: [0.31490254] }] }],
};

/** Logs in over the API as an account created straight in the store (e.g. with the admin role). */
async function logInAs(t: TestApp, username: string, role: 'user' | 'admin') {
  const password = 'a long enough password';
  await t.store.createUser({ username, email: `${username}@example.com`, passwordHash: await bcrypt.hash(password, 4), role, now: T0 });
  const agent = request.agent(t.app);
  const token = await apiToken(agent);
  await agent.post('/api/v1/session').set('X-CSRF-Token', token).send({ username, password }).expect(200);
  return agent;
}

describe('operations page', () => {
  let t: TestApp;
  let evaluation: EvaluationStatus = found;
  const currentModel = new CurrentModel();

  before(async () => {
    t = await makeApp({ env: { ADMIN_USERNAMES: 'ops, ALICE' }, services: { currentModel, evaluationReport: async () => evaluation } });
    // Two pending users, a succeeded run with its loss, a failed one, one still running.
    for (const name of ['p1', 'p2']) {
      const user = await t.store.createUser({ username: name, email: `${name}@example.com`, passwordHash: 'h', now: T0 });
      await t.store.savePicks(user.id, [1, 2, 3, 4, 5], T0);
    }
    await t.store.createRun({ id: 'run-ok', engine: 'inprocess', now: T0, leaseUntil: T0 + 600_000 });
    await t.store.completeRun('run-ok', [], T0 + 42_000, {
      maxAttempts: 3,
      metrics: { iterations: [{ iteration: 1, loss: 900 }, { iteration: 2, loss: 500 }, { iteration: 3, loss: 450 }] },
    });
    await t.store.createRun({ id: 'run-bad', engine: 'spark-local', now: T0 + 60_000, leaseUntil: T0 + 600_000 });
    await t.store.failRun('run-bad', 'spark died: <script>alert(1)</script>', T0 + 65_000, 3);
    await t.store.createRun({ id: 'run-now', engine: 'inprocess', now: Date.now() - 5000, leaseUntil: Date.now() + 600_000 });
    currentModel.replace(model, { location: '/data/runs/run-ok/model' });
  });
  after(() => t.close());

  test('an anonymous visitor is sent to log in', async () => {
    await request(t.app).get('/operations').expect(303).expect('Location', '/login?next=%2Foperations');
  });

  test('a logged-in user who is not an admin gets 403 and no link to it', async () => {
    const { agent } = await signedUp(t.app, { ...alice, username: 'mallory' });
    const res = await agent.get('/operations').expect(403).expect('Content-Type', /html/);
    assert.match(res.text, /<h1>Not allowed<\/h1>/);
    assert.match(res.text, /for the administrators/);
    assert.ok(!res.text.includes('Pending'), 'nothing of the page');
    const home = await agent.get('/').expect(200);
    assert.ok(!home.text.includes('href="/operations"'));
  });

  test('an admin by ADMIN_USERNAMES (any case) sees users, the model with its loss chart, the evaluation, the runs', async () => {
    const { agent } = await signedUp(t.app, alice); // "alice" is listed as "ALICE"
    const home = await agent.get('/').expect(200);
    assert.match(home.text, /<a href="\/operations">Operations<\/a>/);
    const res = await agent.get('/operations').expect(200).expect('Cache-Control', 'no-store');
    const stat = (state: string) => new RegExp(`data-state="${state}"><span class="stat-value">(\\d+)</span>`).exec(res.text)?.[1];
    assert.deepEqual([stat('pending'), stat('running'), stat('ready'), stat('failed')], ['2', '0', '0', '0']);
    assert.equal(Number(stat('none')) >= 1, true);

    // The model in service, found through its location, with the run's loss as a chart.
    assert.match(res.text, /<dt>Rank<\/dt><dd>2<\/dd>/);
    assert.match(res.text, /<dt>Movies<\/dt><dd>3<\/dd>/);
    assert.match(res.text, /<dt>Trained<\/dt><dd>2025-03-01 12:00 UTC<\/dd>/);
    assert.match(res.text, /run <code>run-ok<\/code> \(inprocess, 0 app users\)/);
    assert.match(res.text, /<svg class="chart"[^>]*aria-labelledby="chart-loss-title" aria-describedby="chart-loss-desc"/);
    assert.match(res.text, /The loss falls from 900\.0 after iteration 1 to 450\.0 after iteration 3/);

    // The evaluation report, named.
    assert.match(res.text, /latest <code>npm run evaluate<\/code> report for this dataset, <code>artifacts\/evaluation-ml-latest-small\.json<\/code>/);
    assert.match(res.text, /<th scope="row">als<\/th><td>0\.315<\/td>/);

    // The runs, newest first: engine, outcome, duration, error (escaped).
    const runs = [...res.text.matchAll(/<tr data-run="([^"]+)" data-outcome="([^"]+)">/g)].map((m) => [m[1], m[2]]);
    assert.deepEqual(runs, [['run-now', 'running'], ['run-bad', 'failed'], ['run-ok', 'succeeded']]);
    assert.match(res.text, /<td>42 s<\/td>/);
    assert.match(res.text, /so far<\/td>/);
    assert.ok(res.text.includes('spark died: &lt;script&gt;alert(1)&lt;/script&gt;'));
    assert.ok(!res.text.includes('<script>alert(1)'));
  });

  test('an admin by stored role gets in too; without a report the page says how to make one', async () => {
    evaluation = { state: 'missing', file: 'artifacts/evaluation-ml-latest-small.json' };
    try {
      const agent = await logInAs(t, 'root', 'admin');
      const res = await agent.get('/operations').expect(200);
      assert.match(res.text, /No evaluation report for this dataset yet/);
      assert.match(res.text, /Run <code>npm run evaluate<\/code> on this machine/);
    } finally {
      evaluation = found;
    }
  });

  test('the role is read from the store on every request', async () => {
    const agent = await logInAs(t, 'plainuser', 'user');
    await agent.get('/operations').expect(403);
  });

  test('without a model in service, and without runs', async () => {
    const empty = await makeApp({ env: { ADMIN_USERNAMES: 'alice' } });
    try {
      const { agent } = await signedUp(empty.app, alice);
      const res = await agent.get('/operations').expect(200);
      assert.match(res.text, /No model is in service yet/);
      assert.match(res.text, /No runs yet/);
      assert.match(res.text, /No evaluation report for this dataset yet\./);
    } finally {
      await empty.close();
    }
  });
});
