import { test } from 'node:test';
import assert from 'node:assert/strict';
import { choleskyFactor, choleskySolve, gramMatrix } from '../../src/recommend/linalg.js';

test('gramMatrix sums outer products of the rows', () => {
  const y = new Float32Array([1, 2, 3, 4]); // rows (1,2) and (3,4)
  assert.deepEqual(Array.from(gramMatrix(y, 2, 2)), [1 + 9, 2 + 12, 2 + 12, 4 + 16]);
});

test('choleskySolve solves a hand-checked 2×2 system', () => {
  // [[4,2],[2,3]] x = [2,1] → x = [0.5, 0]
  const a = new Float64Array([4, 2, 2, 3]);
  assert.equal(choleskyFactor(a, 2), true);
  const b = new Float64Array([2, 1]);
  choleskySolve(a, 2, b);
  assert.ok(Math.abs(b[0] - 0.5) < 1e-12 && Math.abs(b[1]) < 1e-12, `got ${Array.from(b).join(',')}`);
});

test('choleskyFactor refuses a matrix that is not positive definite', () => {
  assert.equal(choleskyFactor(new Float64Array([1, 2, 2, 1]), 2), false);
});
