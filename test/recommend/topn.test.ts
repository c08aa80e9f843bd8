import { test } from 'node:test';
import assert from 'node:assert/strict';
import { topN } from '../../src/recommend/topn.js';

const ranked = (scores: number[], n: number, exclude?: number[]) => Array.from(topN(Float64Array.from(scores), n, exclude));

test('topN returns the indices of the highest scores, best first', () => {
  assert.deepEqual(ranked([0.1, 0.9, -2, 0.5, 3, 0.7], 3), [4, 1, 5]);
});

test('topN breaks ties by the lower index, inside and at the edge of the kept set', () => {
  assert.deepEqual(ranked([1, 2, 2, 1, 2, 1], 2), [1, 2]);
  assert.deepEqual(ranked([1, 2, 2, 1, 2, 1], 4), [1, 2, 4, 0]);
  assert.deepEqual(ranked([5, 5, 5, 5], 4), [0, 1, 2, 3]);
});

test('topN skips excluded indices and ignores exclusions outside the array', () => {
  assert.deepEqual(ranked([9, 8, 7, 6, 5], 2, [0, 2, 99, -1]), [1, 3]);
});

test('topN returns every candidate when n exceeds them, and nothing for n = 0', () => {
  assert.deepEqual(ranked([3, 1, 2], 10, [1]), [0, 2]);
  assert.deepEqual(ranked([3, 1, 2], 0), []);
  assert.deepEqual(ranked([], 5), []);
});

test('topN never ranks NaN scores and keeps -Infinity last', () => {
  assert.deepEqual(ranked([NaN, -Infinity, 1, NaN, 0], 5), [2, 4, 1]);
});

test('topN works on Float32 scores and rejects a bad n', () => {
  assert.deepEqual(Array.from(topN(new Float32Array([0.25, 0.75, 0.5]), 2)), [1, 2]);
  assert.throws(() => topN(new Float64Array(3), -1), /non-negative integer/);
  assert.throws(() => topN(new Float64Array(3), 1.5), /non-negative integer/);
});

test('topN agrees with a full stable sort on a long random array with many ties', () => {
  let seed = 7;
  const random = () => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  const scores = Float64Array.from({ length: 5000 }, () => Math.floor(random() * 200) / 10);
  const exclude = Array.from({ length: 300 }, () => Math.floor(random() * 5000));
  const excluded = new Set(exclude);
  const expected = Array.from(scores.keys())
    .filter((i) => !excluded.has(i))
    .sort((a, b) => scores[b] - scores[a] || a - b)
    .slice(0, 48);
  assert.deepEqual(Array.from(topN(scores, 48, exclude)), expected);
});
