import { test } from 'node:test';
import assert from 'node:assert/strict';
import { catalogCoverage, hitsAtK, ndcgAtK, precisionAtK, recallAtK } from '../../src/recommend/metrics.js';

const ranked = [7, 3, 9, 1, 5];
const relevant = new Set([3, 5, 8]);

function close(actual: number, expected: number): void {
  assert.ok(Math.abs(actual - expected) < 1e-12, `${actual} ≠ ${expected}`);
}

test('precision@k counts hits in the first k over k, also when the list is shorter than k', () => {
  assert.equal(hitsAtK(ranked, relevant, 2), 1);
  close(precisionAtK(ranked, relevant, 2), 1 / 2);
  close(precisionAtK(ranked, relevant, 5), 2 / 5);
  close(precisionAtK(ranked, relevant, 10), 2 / 10);
  close(precisionAtK(ranked, relevant, 1), 0);
});

test('recall@k is hits over all relevant items (standard definition)', () => {
  close(recallAtK(ranked, relevant, 2), 1 / 3);
  close(recallAtK(ranked, relevant, 5), 2 / 3);
  // With k = 1 and three relevant items a perfect list still scores 1/3, not 1.
  close(recallAtK([3], relevant, 1), 1 / 3);
  assert.equal(recallAtK(ranked, new Set(), 5), 0);
});

test('NDCG@k uses binary gains and a log2 discount against the ideal ordering', () => {
  // Hits at ranks 2 and 5: DCG = 1/log2(3) + 1/log2(6); ideal for 3 relevant in top 5: 1 + 1/log2(3) + 1/2.
  close(ndcgAtK(ranked, relevant, 5), (1 / Math.log2(3) + 1 / Math.log2(6)) / (1 + 1 / Math.log2(3) + 0.5));
  // At k = 2 only the hit at rank 2 counts; the ideal is two hits.
  close(ndcgAtK(ranked, relevant, 2), 1 / Math.log2(3) / (1 + 1 / Math.log2(3)));
  close(ndcgAtK([3, 5, 8, 1], relevant, 3), 1);
  close(ndcgAtK([5, 1], new Set([5]), 10), 1);
  assert.equal(ndcgAtK(ranked, new Set(), 5), 0);
});

test('coverage is the share of the catalogue in any list', () => {
  close(catalogCoverage([[1, 2], [2, 3], Int32Array.of(3, 4)], 8), 4 / 8);
  assert.equal(catalogCoverage([], 5), 0);
  assert.throws(() => catalogCoverage([[1]], 0), /catalogSize/);
});

test('k must be a positive integer', () => {
  assert.throws(() => precisionAtK(ranked, relevant, 0), /k must be an integer ≥ 1/);
  assert.throws(() => ndcgAtK(ranked, relevant, 1.5), /k must be an integer ≥ 1/);
});
