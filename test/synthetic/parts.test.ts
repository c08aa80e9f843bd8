import { test } from 'node:test';
import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { createRandom } from '../../src/recommend/random.js';
import { userActivity } from '../../src/synthetic/activity.js';
import { createAliasTable, sampleAlias } from '../../src/synthetic/alias.js';
import { parseSyntheticArgs } from '../../scripts/cli/synthetic-options.js';
import { csvField } from '../../src/synthetic/titles.js';

test('alias table draws each index in proportion to its weight, never a zero weight', () => {
  const weights = [5, 0, 1, 2, 2];
  const table = createAliasTable(weights);
  const rng = createRandom(11);
  const seen = new Array(weights.length).fill(0);
  const draws = 200_000;
  for (let n = 0; n < draws; n++) seen[sampleAlias(table, rng.next())]++;
  assert.equal(seen[1], 0);
  weights.forEach((w, i) => assert.ok(Math.abs(seen[i] / draws - w / 10) < 0.006, `index ${i}: ${seen[i] / draws} vs ${w / 10}`));
});

test('alias table refuses negative, non-finite or all-zero weights', () => {
  assert.throws(() => createAliasTable([1, -1]), /weight 1 is -1/);
  assert.throws(() => createAliasTable([1, NaN]), /weight 1 is NaN/);
  assert.throws(() => createAliasTable([0, 0]), /all weights are zero/);
});

test('user activity sums exactly, respects the minimum and the cap', () => {
  const counts = userActivity(1_000, 150_000, 20, 600, createRandom(5));
  assert.equal(counts.reduce((s, c) => s + c, 0), 150_000);
  assert.ok(Math.min(...counts) >= 20);
  assert.ok(Math.max(...counts) <= 600);
  assert.ok(counts.filter((c) => c === 600).length > 0, 'the cap binds for the heaviest users at this density');
  assert.throws(() => userActivity(10, 100, 20, 50, createRandom(1)), /needs ≥ 200 ratings/);
  assert.throws(() => userActivity(10, 600, 20, 50, createRandom(1)), /don't fit/);
});

test('csvField quotes commas and doubles quotes, as MovieLens writes titles', () => {
  assert.equal(csvField('Heat (1995)'), 'Heat (1995)');
  assert.equal(csvField('American President, The (1995)'), '"American President, The (1995)"');
  assert.equal(csvField('"Great" Dream (1998)'), '"""Great"" Dream (1998)"');
});

test('the synthetic command: presets, overrides, default folder and clear errors', () => {
  const small = parseSyntheticArgs(['--preset', 'ml-latest-small'], '/repo');
  assert.deepEqual(small, { users: 610, movies: 9_742, ratings: 100_836, seed: 1, out: '/repo/data/synthetic/ml-latest-small-seed1' });
  const big = parseSyntheticArgs(['--preset', 'ml-25m', '--seed', '9'], '/repo');
  assert.equal(big !== 'help' && big.ratings, 25_000_095);
  assert.equal(big !== 'help' && big.out, '/repo/data/synthetic/ml-25m-seed9');
  const custom = parseSyntheticArgs(['--users', '100', '--movies', '500', '--ratings', '5_000', '--out', 'x'], '/repo');
  assert.deepEqual(custom, { users: 100, movies: 500, ratings: 5_000, seed: 1, out: resolve('x') });
  assert.equal(parseSyntheticArgs(['--help'], '/repo'), 'help');
  assert.throws(() => parseSyntheticArgs(['--preset', 'ml-1b'], '/repo'), /--preset must be one of ml-latest-small, ml-25m/);
  assert.throws(() => parseSyntheticArgs(['--users', '10'], '/repo'), /--movies is required without --preset/);
  assert.throws(() => parseSyntheticArgs(['--preset', 'ml-25m', '--ratings', '1e6'], '/repo'), /--ratings must be a whole number, got "1e6"/);
  assert.throws(() => parseSyntheticArgs(['--preset', 'ml-25m', '--users', '2000000'], '/repo'), /--ratings must be at least --users × 20/);
  assert.throws(() => parseSyntheticArgs(['--bogus'], '/repo'), /bogus/);
});
