import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ADMIN_USAGE, runAdminCommand } from '../../src/operations/admin-command.js';
import { isAdmin, NoSuchAccountError } from '../../src/operations/admin.js';
import { evaluationReportFile, evaluationReports, metricName, parseReport } from '../../src/operations/evaluation-report.js';
import { lossChart } from '../../src/operations/loss-chart.js';
import { lossPoints, modelReport, runIdOfLocation } from '../../src/operations/model-report.js';
import type { ItemFactorModel } from '../../src/recommend/model.js';
import { CurrentModel } from '../../src/services/current-model.js';
import { openSqliteStore, type RunRecord } from '../../src/store/index.js';
import { assertWellFormedXml } from '../support/well-formed.js';

const T0 = Date.parse('2025-03-01T12:00:00Z');

function model(trainedAt: string, engine = 'inprocess'): ItemFactorModel {
  return {
    rank: 2,
    itemIds: Int32Array.from([1, 2, 3]),
    itemFactors: Float32Array.from([1, 0, 0, 1, 1, 1]),
    params: { rank: 2, iterations: 3, regularization: 0.5, alpha: 2, ratingThreshold: null, scaleRegularization: true, seed: 1 },
    engine,
    trainedAt,
  };
}

function run(id: string, createdAt: number, finishedAt: number | null, metrics: Record<string, unknown> | null, outcome: RunRecord['outcome'] = 'succeeded'): RunRecord {
  return { id, engine: 'inprocess', outcome, createdAt, leaseUntil: createdAt + 60_000, finishedAt, users: 1, readyUsers: 1, retriedUsers: 0, failedUsers: 0, staleResults: 0, error: null, metrics };
}

const iterations = (...losses: number[]) => ({ iterations: losses.map((loss, i) => ({ iteration: i + 1, loss, seconds: 0.1 })) });

describe('admins', () => {
  test('only the stored role makes an admin', () => {
    assert.equal(isAdmin({ role: 'admin' }), true);
    assert.equal(isAdmin({ role: 'user' }), false);
    assert.equal(isAdmin({}), false);
  });

  test('npm run admin: grant and revoke mark an existing account, found as the store compares names', async () => {
    const store = await openSqliteStore(':memory:');
    try {
      const owner = await store.createUser({ username: 'Admin1', email: 'a@example.com', passwordHash: 'h', now: 1 });
      assert.equal(await runAdminCommand(['grant', '\uFF41DMIN1'], store), 'Admin1 is now an admin.');
      assert.equal((await store.getUser(owner.id))?.role, 'admin');
      assert.equal(await runAdminCommand(['revoke', 'admin1'], store), 'Admin1 is no longer an admin.');
      assert.equal((await store.getUser(owner.id))?.role, 'user');
      await assert.rejects(runAdminCommand(['grant', 'nobody'], store), NoSuchAccountError);
      for (const args of [[], ['grant'], ['promote', 'Admin1'], ['grant', 'Admin1', 'extra']]) {
        await assert.rejects(runAdminCommand(args, store), { message: ADMIN_USAGE });
      }
      assert.equal((await store.getUser(owner.id))?.role, 'user');
    } finally {
      await store.close();
    }
  });
});

describe('the model report', () => {
  test('the run id of a model location, local or Cloud Storage', () => {
    assert.equal(runIdOfLocation('/data/runs/20250301T120000000Z-abc123/model'), '20250301T120000000Z-abc123');
    assert.equal(runIdOfLocation('gs://bucket/runs/r-1/model/'), 'r-1');
    assert.equal(runIdOfLocation('/data/models/base'), null);
  });

  test('the loss per iteration from metrics, ignoring what is malformed', () => {
    assert.deepEqual(lossPoints({ iterations: [{ iteration: 2, loss: 5 }, { iteration: 1, loss: 9 }, { iteration: 3 }, null, { iteration: 'x', loss: 1 }] }), [
      { iteration: 1, loss: 9 },
      { iteration: 2, loss: 5 },
    ]);
    assert.deepEqual(lossPoints(null), []);
    assert.deepEqual(lossPoints({ iterations: 'no' }), []);
  });

  test('a model whose location names a run: that run and its loss', async () => {
    const current = new CurrentModel();
    current.replace(model('2025-03-01T12:00:30.000Z'), { location: '/data/runs/r2/model' });
    const runs = [run('r3', T0 + 100_000, T0 + 130_000, iterations(1)), run('r2', T0, T0 + 40_000, iterations(30, 20, 15))];
    const report = await modelReport(current.inService(), { recentRuns: runs, getRun: async () => null });
    assert.equal(report?.run?.id, 'r2');
    assert.equal(report?.runFoundBy, 'location');
    assert.deepEqual(report?.iterations.map((p) => p.loss), [30, 20, 15]);
    assert.deepEqual([report?.rank, report?.items, report?.engine, report?.location], [2, 3, 'inprocess', '/data/runs/r2/model']);
  });

  test('an older run not in the recent history is fetched by id', async () => {
    const current = new CurrentModel();
    current.replace(model('2025-01-01T00:00:00.000Z'), { location: 'gs://b/runs/old/model' });
    const report = await modelReport(current.inService(), { recentRuns: [], getRun: async (id) => run(id, 0, 1, iterations(4)) });
    assert.equal(report?.run?.id, 'old');
  });

  test('without a location: the newest succeeded run during which the model was trained', async () => {
    const current = new CurrentModel();
    current.replace(model('2025-03-01T12:00:30.000Z'));
    const runs = [
      run('later', T0 + 3_600_000, T0 + 3_700_000, iterations(1)),
      run('failed', T0, T0 + 50_000, null, 'failed'),
      run('match', T0, T0 + 40_000, iterations(3, 2)),
    ];
    const report = await modelReport(current.inService(), { recentRuns: runs, getRun: async () => null });
    assert.equal(report?.run?.id, 'match');
    assert.equal(report?.runFoundBy, 'training time');
  });

  test('the base model (its folder named, or trained when no run was going on): no run, no loss', async () => {
    const current = new CurrentModel();
    current.replace(model('2025-03-01T12:00:30.000Z'), { location: '/data/models/base' });
    const runs = [run('match', T0, T0 + 40_000, iterations(3, 2))];
    const named = await modelReport(current.inService(), { recentRuns: runs, getRun: async () => null });
    assert.deepEqual([named?.run, named?.iterations], [null, []]);
    current.replace(model('2024-01-01T00:00:00.000Z'));
    const unnamed = await modelReport(current.inService(), { recentRuns: runs, getRun: async () => null });
    assert.equal(unnamed?.run, null);
    assert.equal(await modelReport(null, { recentRuns: runs, getRun: async () => null }), null);
  });

  test('the loss chart: a line for several iterations, one dot for the Spark engine\'s single value', () => {
    const several = lossChart([{ iteration: 1, loss: 900 }, { iteration: 2, loss: 400 }, { iteration: 3, loss: 350 }], 'inprocess')!;
    assertWellFormedXml(several);
    assert.match(several, /falls from 900\.0 after iteration 1 to 350\.0 after iteration 3/);
    assert.equal((several.match(/<circle /g) ?? []).length, 3);
    const single = lossChart([{ iteration: 10, loss: 12_345.6 }], 'spark-local')!;
    assertWellFormedXml(single);
    assert.match(single, /The spark-local engine reported only the final loss: 12,346 after iteration 10/);
    assert.equal(lossChart([], 'x'), null);
  });
});

describe('the evaluation report', () => {
  const dirs: string[] = [];
  after(async () => {
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  const report = {
    dataset: '/x/ml-latest-small',
    protocols: [
      { protocol: 'A', description: 'known users', evaluatedUsers: 608, rows: [{ model: 'als', metrics: { precisionAt10: 0.2255, recallAt20: 0.3149, ndcgAt10: 0.2969 } }, { model: 'popularity', metrics: { precisionAt10: 0.127, recallAt20: 0.155, ndcgAt10: 0.163 } }] },
      { protocol: 'B', description: 'new users', evaluatedUsers: 599, rows: [{ model: 'als-itemsim', metrics: { recallAt12: 0.132, ndcgAt12: 0.408 } }] },
    ],
  };

  test('named after the dataset folder, as evaluate names it', () => {
    assert.equal(evaluationReportFile('/repo/artifacts', '/data/movielens/ml-latest-small'), join('/repo/artifacts', 'evaluation-ml-latest-small.json'));
  });

  test('metric names as people write them', () => {
    assert.deepEqual(['precisionAt10', 'recallAt20', 'ndcgAt12', 'coverageAt10', 'users', 'mrr'].map(metricName), ['Precision@10', 'Recall@20', 'NDCG@12', 'Coverage@10', 'Users', 'Mrr']);
  });

  test('a report becomes one table per protocol', () => {
    const [a, b] = parseReport(report);
    assert.deepEqual(a.metrics, ['Precision@10', 'Recall@20', 'NDCG@10']);
    assert.deepEqual(a.rows[0], { model: 'als', values: [0.2255, 0.3149, 0.2969] });
    assert.equal(a.evaluatedUsers, 608);
    assert.deepEqual(b.metrics, ['Recall@12', 'NDCG@12']);
    assert.throws(() => parseReport({ engines: [] }), /not an evaluate report/);
  });

  test('missing, found (and re-read when the file changes), unreadable', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mh-eval-'));
    dirs.push(dir);
    const file = join(dir, 'evaluation-tiny.json');
    const read = evaluationReports(file, 'artifacts/evaluation-tiny.json');
    assert.deepEqual(await read(), { state: 'missing', file: 'artifacts/evaluation-tiny.json' });
    await writeFile(file, JSON.stringify(report));
    const found = await read();
    assert.equal(found.state, 'found');
    assert.equal(found.state === 'found' && found.tables.length, 2);
    assert.equal(await read(), found, 'kept while the file is unchanged');
    await writeFile(file, '{ not json');
    await utimes(file, new Date(), new Date(Date.now() + 5000));
    const broken = await read();
    assert.equal(broken.state, 'unreadable');
    assert.equal(broken.file, 'artifacts/evaluation-tiny.json');
  });
});
