import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { RatingsMatrix } from '../../src/catalog/types.js';
import { loadDataset } from '../../src/catalog/dataset.js';
import { formatReportTable } from '../../src/recommend/evaluation/report-table.js';
import { runEvaluation, type EvaluationReport, type ModelRow } from '../../src/recommend/evaluation/runner.js';
import { movielensDir } from '../support/movielens.js';

let ratings: RatingsMatrix;
let report: EvaluationReport;
const options = { protocols: ['A', 'B'] as const, seed: 42, als: { rank: 16, iterations: 4, threads: 1 } };

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

test('protocol A sizes: every user kept, ~20% of liked ratings held out, nearly every user evaluated', () => {
  const a = report.protocols.find((p) => p.protocol === 'A')!;
  assert.equal(a.trainUsers, 610);
  assert.equal(a.trainRatings + a.heldOut, 100_836);
  // ml-latest-small has 48,580 ratings ≥ 4; per-user rounding keeps the held-out share near 20%.
  assert.ok(a.heldOut > 0.18 * 48_580 && a.heldOut < 0.22 * 48_580, `${a.heldOut} held out`);
  assert.ok(a.evaluatedUsers > 590 && a.evaluatedUsers <= 610);
  for (const r of a.rows) assert.equal(r.users, a.evaluatedUsers);
});

test('protocol B on ml-latest-small: 61 users leave, each quick method beats popularity on Recall@12', () => {
  const b = report.protocols.find((p) => p.protocol === 'B')!;
  assert.equal(b.heldOut, 61);
  assert.equal(b.trainUsers, 549);
  assert.ok(b.evaluatedUsers > 40 && b.evaluatedUsers <= 61);
  const popularity = row('B', 'popularity').metrics.recallAt12;
  for (const method of ['foldin', 'itemsim', 'blend']) {
    const recall = row('B', `als-${method}`).metrics.recallAt12;
    assert.ok(recall > popularity, `${method} ${recall} vs popularity ${popularity}`);
  }
  for (const r of b.rows) for (const value of Object.values(r.metrics)) assert.ok(value >= 0 && value <= 1);
});

test('the same options give the same figures', async () => {
  const again = await runEvaluation(ratings, options);
  const figures = (r: EvaluationReport) => r.protocols.map((p) => p.rows.map((x) => [x.model, x.users, x.metrics]));
  assert.deepEqual(figures(again), figures(report));
});

test('the table has a row per model and a column per metric', () => {
  const lines = formatReportTable(report).split('\n');
  assert.match(lines[0], /^protocol\s+model\s+users\s+P@10\s+R@20\s+NDCG@10\s+Cov@10\s+R@12\s+NDCG@12\s+Cov@12\s+train s$/);
  assert.equal(lines.length, 2 + 3 + 5);
  assert.match(lines.find((l) => /^B\s+als-itemsim/.test(l)) ?? '', /^B\s+als-itemsim\s+\d+\s+-\s+-\s+-\s+-\s+0\.\d{4}/);
});
