import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createRandom } from '../../src/recommend/random.js';

const draw = (seed: number, n: number): number[] => {
  const random = createRandom(seed);
  return Array.from({ length: n }, () => random.next());
};

test('createRandom: the same seed gives the same stream, nearby seeds unrelated ones', () => {
  assert.deepEqual(draw(42, 100), draw(42, 100));
  const a = draw(1, 100);
  const b = draw(2, 100);
  assert.equal(a.filter((v, i) => v === b[i]).length, 0);
  // High bits of the seed matter too.
  assert.notDeepEqual(draw(5, 10), draw(5 + 2 ** 32, 10));
});

test('createRandom: next() is uniform in [0, 1), int(n) covers [0, n), normal() has mean 0 and variance 1', () => {
  const random = createRandom(7);
  const n = 100_000;
  const buckets = new Array<number>(10).fill(0);
  let sum = 0;
  let sumSquares = 0;
  for (let i = 0; i < n; i++) {
    const u = random.next();
    assert.ok(u >= 0 && u < 1, `next() gave ${u}`);
    buckets[random.int(10)]++;
    const z = random.normal();
    sum += z;
    sumSquares += z * z;
  }
  for (const count of buckets) assert.ok(Math.abs(count - n / 10) < 600, `int(10) buckets ${buckets.join(',')}`); // ~6σ
  assert.ok(Math.abs(sum / n) < 0.02, `normal mean ${sum / n}`);
  assert.ok(Math.abs(sumSquares / n - 1) < 0.03, `normal variance ${sumSquares / n}`);
});

test('createRandom refuses seeds and ranges it cannot honour', () => {
  assert.throws(() => createRandom(1.5), /seed must be a safe integer/);
  assert.throws(() => createRandom(Number.NaN), /seed must be a safe integer/);
  assert.throws(() => createRandom(1).int(0), /n must be an integer/);
});
