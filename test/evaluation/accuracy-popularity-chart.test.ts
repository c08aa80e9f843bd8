import { test } from 'node:test';
import assert from 'node:assert/strict';
import { accuracyPopularityChart } from '../../scripts/report/accuracy-popularity.js';
import { buildReport } from '../../scripts/report/build.js';
import type { EvaluationFile } from '../../scripts/report/schemas.js';

const rows: { model: string; metrics: Record<string, number> }[] = [
  { model: 'popularity', metrics: { recallAt12: 0.05 } },
  { model: 'random/quick-familiar', metrics: { recallAt12: 0.12, popShareAt12: 0.67, recallAt48: 0.3, popShareAt48: 0.5 } },
  { model: 'famous/full-discover', metrics: { recallAt12: 0.04, popShareAt12: 0.1, recallAt48: 0.09, popShareAt48: 0.15 } },
];

test('one point per re-ranking row: the quick rows at 12, the others at 48; rows without a popularity share are left out', () => {
  const chart = accuracyPopularityChart('c', 'Accuracy against popularity', 'text', rows);
  assert.ok(chart);
  assert.deepEqual(chart.rows, [
    ['random/quick-familiar', '12', '0.670', '0.1200'],
    ['famous/full-discover', '48', '0.150', '0.0900'],
  ]);
  assert.equal((chart.svg.match(/<circle/g) ?? []).length, 2);
  assert.equal(accuracyPopularityChart('c', 't', 'd', rows.slice(0, 1)), null);
});

test('the report draws the chart for an evaluation with re-ranking rows', () => {
  const evaluation: EvaluationFile = {
    dataset: '/data/small',
    seed: 42,
    als: {},
    data: { users: 3, items: 3, ratings: 3 },
    protocols: [{ protocol: 'B', description: 'new users', evaluatedUsers: 2, rows: rows.map((r) => ({ ...r, users: 2, trainSeconds: 0 })) }],
  };
  const html = buildReport({ generatedAt: 'now', benchPeers: [], evaluations: [{ file: 'e.json', report: evaluation }], tuning: [], stylesheet: '' });
  assert.ok(html.includes('>Protocol B: accuracy against popularity</title>'));
});
