import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { RatingsMatrix } from '../../src/catalog/types.js';
import { loadDataset } from '../../src/catalog/dataset.js';
import { formatReportTable } from '../../src/recommend/evaluation/report-table.js';
import { runEvaluation, type EvaluationReport, type ModelRow } from '../../src/recommend/evaluation/runner.js';
import { movielensDir } from '../support/movielens.js';

let ratings: RatingsMatrix;
let report: EvaluationReport;
const options = { protocols: ['A', 'B'] as const, seed: 42, als: { rank: 16, iterations: 4, threads: 1 }, folds: 3 };

before(async () => {
  ({ ratings } = await loadDataset(movielensDir()));
  report = await runEvaluation(ratings, options);
});

function row(protocol: 'A' | 'B', model: string): ModelRow {
  const found = report.protocols.find((p) => p.protocol === protocol)?.rows.find((r) => r.model === model);
  assert.ok(found, `${protocol} ${model} is in the report`);
  return found;
}

test('protocol A on ml-latest-small: ALS clearly beats popularity on Recall@20, P@10 and NDCG@10', () => {
  const als = row('A', 'als').metrics;
  const popularity = row('A', 'popularity').metrics;
  assert.ok(als.recallAt20 > 1.3 * popularity.recallAt20, `ALS ${als.recallAt20} vs popularity ${popularity.recallAt20}`);
  assert.ok(als.precisionAt10 > popularity.precisionAt10);
  assert.ok(als.ndcgAt10 > popularity.ndcgAt10);
  assert.ok(als.coverageAt10 > popularity.coverageAt10, 'personal lists cover more of the catalogue');
});

test("protocol A: ALS beats the original's picks·V·Vᵀ with all the user's training movies as picks", () => {
  const als = row('A', 'als').metrics;
  const original = row('A', 'original-itemsim').metrics;
  assert.ok(als.recallAt20 > original.recallAt20, `ALS ${als.recallAt20} vs original ${original.recallAt20}`);
  assert.ok(als.ndcgAt10 > original.ndcgAt10);
  assert.ok(original.recallAt20 > 0);
});

test('protocol A sizes: every user kept, ~20% of liked ratings held out, nearly every user evaluated', () => {
  const a = report.protocols.find((p) => p.protocol === 'A')!;
  assert.equal(a.trainUsers, 610);
  assert.equal(a.trainRatings + a.heldOut, 100_836);
  // ml-latest-small has 48,580 ratings ≥ 4; per-user rounding keeps the held-out share near 20%.
  assert.ok(a.heldOut > 0.18 * 48_580 && a.heldOut < 0.22 * 48_580, `${a.heldOut} held out`);
  assert.ok(a.evaluatedUsers > 590 && a.evaluatedUsers <= 610);
  for (const r of a.rows) assert.equal(r.users, a.evaluatedUsers);
});

test('protocol B with 3 folds: every user held out once, all evaluated users of all folds counted', () => {
  const b = report.protocols.find((p) => p.protocol === 'B')!;
  assert.equal(b.heldOut, 610);
  assert.ok(b.folds !== undefined && b.folds.length === 3);
  assert.deepEqual(b.folds.map((f) => f.heldOutUsers), [203, 203, 204]);
  for (const f of b.folds) assert.equal(f.trainUsers + f.heldOutUsers, 610);
  assert.equal(b.trainUsers, Math.round((407 + 407 + 406) / 3));
  assert.equal(b.evaluatedUsers, b.folds.reduce((n, f) => n + f.evaluatedUsers, 0));
  assert.ok(b.evaluatedUsers > 500 && b.evaluatedUsers <= 610, `${b.evaluatedUsers} evaluated`);
  for (const r of b.rows) assert.equal(r.users, b.evaluatedUsers);
  const plain = b.rows.filter((r) => !r.model.includes('/')); // the re-ranking rows have a test of their own
  assert.deepEqual(plain.map((r) => r.model), ['popularity', 'item-bias', 'als-foldin', 'als-itemsim', 'als-blend', 'als-foldin-tuned', 'als-blend-tuned']);
  const popularity = row('B', 'popularity').metrics.recallAt12;
  for (const method of ['foldin', 'itemsim', 'blend', 'foldin-tuned', 'blend-tuned']) {
    const recall = row('B', `als-${method}`).metrics.recallAt12;
    assert.ok(recall > popularity, `${method} ${recall} vs popularity ${popularity}`);
  }
  for (const r of plain) for (const value of Object.values(r.metrics)) assert.ok(value >= 0 && value <= 1);
});

test('protocol B tuning: λ and blend weight chosen per fold from the grids by validation recall, never the test users', () => {
  const b = report.protocols.find((p) => p.protocol === 'B')!;
  assert.ok(report.tuning !== null);
  assert.deepEqual(report.tuning.foldinRegularizationGrid, [0.5, 3, 10, 30, 100, 300, 1000]);
  for (const f of b.folds!) {
    const t = f.tuning;
    assert.ok(t !== null, `fold ${f.fold} was tuned`);
    assert.equal(t.validationUsers, Math.round(0.1 * f.trainUsers));
    assert.ok(t.evaluatedUsers > 20 && t.evaluatedUsers <= t.validationUsers);
    assert.deepEqual(t.foldinGrid.map((g) => g.regularization), report.tuning.foldinRegularizationGrid);
    const bestFoldin = Math.max(...t.foldinGrid.map((g) => g.recallAt12));
    assert.equal(t.foldinGrid.find((g) => g.recallAt12 === bestFoldin)!.regularization, t.foldinRegularization, 'first best λ');
    assert.equal(t.foldinLambda, t.foldinRegularization * 5, 'λ scaled by the five picks');
    const bestBlend = Math.max(...t.blendGrid.map((g) => g.recallAt12));
    assert.equal(t.blendGrid.find((g) => g.recallAt12 === bestBlend)!.blendWeight, t.blendWeight);
  }
});

test('--folds 1 is the single 10% split: 61 users leave, 549 train', async () => {
  const single = await runEvaluation(ratings, { ...options, protocols: ['B'], folds: 1, tune: false, quickMethods: ['itemsim'] });
  const b = single.protocols[0];
  assert.equal(b.heldOut, 61);
  assert.equal(b.trainUsers, 549);
  assert.ok(b.evaluatedUsers > 40 && b.evaluatedUsers <= 61);
  assert.deepEqual(b.rows.map((r) => r.model).filter((m) => !m.includes('/')), ['popularity', 'item-bias', 'als-itemsim']);
  assert.equal(single.tuning, null);
});

test('the same options give the same figures', async () => {
  const again = await runEvaluation(ratings, options);
  const figures = (r: EvaluationReport) => r.protocols.map((p) => p.rows.map((x) => [x.model, x.users, x.metrics]));
  assert.deepEqual(figures(again), figures(report));
});

test("re-ranking rows: every step under both pick scenarios; the familiar quick 12 is today's itemsim exactly", () => {
  for (const scenario of ['random', 'famous']) {
    for (const step of ['familiar', 'balanced', 'explore', 'discover']) {
      for (const surface of ['quick', 'full']) {
        const m = row('B', `${scenario}/${surface}-${step}`).metrics;
        for (const key of ['recallAt12', 'popShareAt12', 'overlapAt12', 'pickCoverageAt12', 'noveltyAt12', 'diversityAt12', 'calibrationKlAt12', 'recallAt48']) {
          assert.ok(Number.isFinite(m[key]), `${scenario}/${surface}-${step} ${key}`);
        }
      }
    }
  }
  const today = row('B', 'als-itemsim').metrics;
  const familiar = row('B', 'random/quick-familiar').metrics;
  assert.equal(familiar.recallAt12, today.recallAt12);
  assert.equal(familiar.ndcgAt12, today.ndcgAt12);
  assert.equal(familiar.coverageAt12, today.coverageAt12);
  assert.ok(row('B', 'famous/quick-familiar').metrics.popShareAt12 > familiar.popShareAt12, 'famous picks give a more popular 12');
  assert.ok(row('B', 'famous/quick-discover').metrics.popShareAt12 < row('B', 'famous/quick-familiar').metrics.popShareAt12);
  for (const step of ['familiar', 'balanced', 'explore', 'discover']) assert.ok(Number.isFinite(row('A', `full-${step}`).metrics.recallAt48), step);
});

test('the table has a row per model and a column per metric', () => {
  const tables = formatReportTable(report).split('\n\n');
  assert.equal(tables.length, 2, 'the re-ranking rows have their own table');
  assert.match(tables[1].split('\n')[0], /^protocol\s+model\s+users\s+R@12\s+NDCG@12\s+Top100@12\s+Jacc@12\s+Picks@12/);
  const lines = tables[0].split('\n');
  assert.match(lines[0], /^protocol\s+model\s+users\s+P@10\s+R@20\s+NDCG@10\s+Cov@10\s+R@12\s+NDCG@12\s+Cov@12\s+train s$/);
  assert.equal(lines.length, 2 + 4 + 7);
  assert.match(lines.find((l) => /^A\s+original-itemsim/.test(l)) ?? '', /^A\s+original-itemsim\s+\d+\s+0\.\d{4}/);
  assert.match(lines.find((l) => /^B\s+als-foldin-tuned/.test(l)) ?? '', /^B\s+als-foldin-tuned\s+\d+\s+-/);
  assert.match(lines.find((l) => /^B\s+als-itemsim/.test(l)) ?? '', /^B\s+als-itemsim\s+\d+\s+-\s+-\s+-\s+-\s+0\.\d{4}/);
});
