import { test } from 'node:test';
import assert from 'node:assert/strict';
import { toConfidence } from '../../src/recommend/als/index.js';
import { csrFromCoo } from '../../src/matrix/sparse.js';

const ratings = csrFromCoo(1, 4, new Int32Array([0, 0, 0, 0]), new Int32Array([0, 1, 2, 3]), new Float32Array([5, 4, 3.5, 0.5]));

test('toConfidence without a threshold: every rating is liked, c = 1 + alpha·r', () => {
  const c = toConfidence(ratings, { alpha: 2, ratingThreshold: null });
  assert.deepEqual(Array.from(c.values), [11, 9, 8, 2]);
  assert.equal(c.indices, ratings.indices); // structure shared, not copied
  assert.equal(c.indptr, ratings.indptr);
});

test('toConfidence with a threshold: below it the sign says "disliked" and confidence grows with t − r', () => {
  const c = toConfidence(ratings, { alpha: 2, ratingThreshold: 4 });
  // 5 → +(1 + 2·5), 4 → +(1 + 2·4), 3.5 → −(1 + 2·0.5), 0.5 → −(1 + 2·3.5)
  assert.deepEqual(Array.from(c.values), [11, 9, -2, -8]);
});

test('toConfidence with alpha 0 keeps the preference sign with confidence 1', () => {
  assert.deepEqual(Array.from(toConfidence(ratings, { alpha: 0, ratingThreshold: 4 }).values), [1, 1, -1, -1]);
});

test('toConfidence refuses a rating that is not a number', () => {
  const bad = csrFromCoo(1, 1, new Int32Array([0]), new Int32Array([0]), new Float32Array([Number.NaN]));
  assert.throws(() => toConfidence(bad, { alpha: 1, ratingThreshold: null }), /rating #0 is NaN/);
});
