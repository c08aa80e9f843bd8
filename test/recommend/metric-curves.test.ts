import { test } from 'node:test';
import assert from 'node:assert/strict';
import { CurveTally, knownUserCurves, newUserCurves, tallyKnownUsers, tallyNewUsers } from '../../src/recommend/evaluation/metric-curves.js';
import { evaluateKnownUsers, evaluateNewUsers } from '../../src/recommend/evaluation/protocols.js';
import { ratingsFromTriples } from '../../src/recommend/evaluation/ratings-matrix.js';
import type { KnownUserSplit, NewUserCase } from '../../src/recommend/evaluation/splits.js';

const close = (actual: number, expected: number, what: string): void => assert.ok(Math.abs(actual - expected) < 1e-12, `${what}: ${actual} ≠ ${expected}`);

test('curves on a known ranking: recall, precision and NDCG at each k by hand', () => {
  const tally = new CurveTally([1, 2, 4]);
  // Relevant {10, 30}: hits at ranks 1 and 3.
  tally.add([10, 20, 30, 40], new Set([10, 30]));
  const c = tally.curves();
  assert.deepEqual(c.ks, [1, 2, 4]);
  assert.equal(c.users, 1);
  assert.deepEqual(c.recall, [0.5, 0.5, 1]);
  assert.deepEqual(c.precision, [1, 0.5, 0.5]);
  const ideal2 = 1 + 1 / Math.log2(3);
  close(c.ndcg[0], 1, 'NDCG@1');
  close(c.ndcg[1], 1 / ideal2, 'NDCG@2');
  close(c.ndcg[2], (1 + 1 / Math.log2(4)) / ideal2, 'NDCG@4');
});

test('curves are means over users, and a list shorter than k is not rewarded', () => {
  const tally = new CurveTally([1, 3]);
  tally.add([1], new Set([1]));
  tally.add([5, 6, 7], new Set([7]));
  const c = tally.curves();
  assert.deepEqual(c.recall, [0.5, 1]);
  close(c.precision[1], (1 / 3 + 1 / 3) / 2, 'P@3');
});

test('bad cut-offs are refused', () => {
  assert.throws(() => new CurveTally([]), /at least one k/);
  assert.throws(() => new CurveTally([0, 5]), /integer ≥ 1/);
  assert.throws(() => new CurveTally([5, 5]), /ascending/);
});

/** Three users, five items; user 2 has nothing held out. */
function tinySplit(): KnownUserSplit {
  const train = ratingsFromTriples(Int32Array.from([1, 2, 3]), Int32Array.from([10, 20, 30, 40, 50]),
    Int32Array.from([0, 0, 1, 2]), Int32Array.from([0, 1, 2, 0]), Float32Array.from([5, 4, 3, 5]));
  return { train, heldOut: { indptr: Int32Array.from([0, 2, 3, 3]), items: Int32Array.from([2, 4, 3]) } };
}

test('protocol A: the wrapped scorer leaves the protocol figures unchanged, and the curves match them at k = 10 and 20', () => {
  const split = tinySplit();
  // A fixed preference order: item 4 first, then 3, 2, 1, 0.
  const score = (_u: number, out: Float64Array): void => { for (let i = 0; i < out.length; i++) out[i] = i; };
  const plain = evaluateKnownUsers(split, score);
  const tally = new CurveTally([1, 10, 20]);
  const wrapped = evaluateKnownUsers(split, tallyKnownUsers(split, score, tally));
  assert.deepEqual(wrapped, plain);
  const c = tally.curves();
  assert.equal(c.users, plain.users);
  close(c.recall[2], plain.recallAt20, 'R@20');
  close(c.precision[1], plain.precisionAt10, 'P@10');
  close(c.ndcg[1], plain.ndcgAt10, 'NDCG@10');
  // User 0 (trained 0, 1; held out 2, 4): ranked 4, 3, 2 → a hit at rank 1. User 1 (trained 2; held out 3): 4, 3 → hit at 2.
  assert.deepEqual(c.recall[0], (0.5 + 0) / 2);
  assert.deepEqual(knownUserCurves(split, score, [1, 10, 20]), c);
});

test('protocol B: the wrapped scorer finds each case by its picks; curves match R@12 and NDCG@12', () => {
  const cases: NewUserCase[] = [
    { user: 0, picks: Int32Array.from([0]), relevant: Int32Array.from([1, 2]) },
    { user: 1, picks: Int32Array.from([3]), relevant: Int32Array.from([4]) },
  ];
  const score = (picks: Int32Array): Float64Array => Float64Array.from({ length: 5 }, (_, i) => (i === picks[0] ? 100 : 5 - i));
  const plain = evaluateNewUsers(cases, 5, score);
  const tally = new CurveTally([1, 12]);
  assert.deepEqual(evaluateNewUsers(cases, 5, tallyNewUsers(cases, score, tally)), plain);
  const c = tally.curves();
  close(c.recall[1], plain.recallAt12, 'R@12');
  close(c.ndcg[1], plain.ndcgAt12, 'NDCG@12');
  // Case 0 ranks 1, 2, … (its pick excluded): a hit at rank 1 of 2 relevant; case 1 ranks 0, 1, 2, 4: no hit at 1.
  assert.deepEqual(c.recall[0], (0.5 + 0) / 2);
  assert.deepEqual(newUserCurves(cases, score, [1, 12]), c);
  assert.throws(() => tallyNewUsers(cases, score, new CurveTally())(Int32Array.from([0])), /no known case/);
});
