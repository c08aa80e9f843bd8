import { test } from 'node:test';
import assert from 'node:assert/strict';
import { percentile } from '../../scripts/bench/measure.js';
import { formatTable, runGroup, type BenchGroup } from '../../scripts/bench/rows.js';

const specs = [
  { id: 'fast', figure: 'fast thing', limit: 2, unit: 'ms' as const },
  { id: 'slow', figure: 'slow thing', limit: 3, unit: 's' as const },
];

test('a row passes at or under its target, fails above it', async () => {
  const group: BenchGroup = { name: 'g', specs, run: async (record) => { record('fast', 2); record('slow', 3.01, 'why'); } };
  const rows = await runGroup(group);
  assert.deepEqual(rows.map((r) => [r.id, r.status, r.target, r.note]), [['fast', 'PASS', '≤ 2.00 ms', ''], ['slow', 'FAIL', '≤ 3.00 s', 'why']]);
});

test('a group that throws marks its unmeasured rows ERROR with the message; a skipped group is SKIP', async () => {
  const original = process.stderr.write.bind(process.stderr);
  process.stderr.write = () => true;
  try {
    const broken = await runGroup({ name: 'g', specs, run: async (record) => { record('fast', 1); throw new Error('no data\nstack'); } });
    assert.deepEqual(broken.map((r) => [r.status, r.note]), [['PASS', ''], ['ERROR', 'no data']]);
  } finally {
    process.stderr.write = original;
  }
  const skipped = await runGroup({ name: 'g', specs, skip: '--quick', run: async () => assert.fail('must not run') });
  assert.deepEqual(skipped.map((r) => [r.status, r.measured, r.note]), [['SKIP', null, '--quick'], ['SKIP', null, '--quick']]);
});

test('the table has one aligned line per row under a header', async () => {
  const rows = await runGroup({ name: 'g', specs, run: async (record) => { record('fast', 0.5); record('slow', 12.345); } });
  const lines = formatTable(rows).split('\n');
  assert.equal(lines.length, 4);
  assert.match(lines[2], /^fast thing +≤ 2\.00 ms +0\.500 ms +PASS$/);
  assert.match(lines[3], /^slow thing +≤ 3\.00 s +12\.3 s +FAIL$/);
  assert.equal(lines[2].indexOf('PASS'), lines[0].indexOf('result'));
});

test('percentile is nearest-rank', () => {
  const values = Float64Array.from({ length: 100 }, (_, n) => 100 - n); // 100 … 1
  assert.equal(percentile(values, 99), 99);
  assert.equal(percentile(values, 50), 50);
  assert.equal(percentile(values, 100), 100);
  assert.equal(percentile(Float64Array.of(7), 99), 7);
});
