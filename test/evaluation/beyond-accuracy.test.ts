import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  genreMiscalibration,
  intraListDiversity,
  meanPairwiseJaccard,
  mostRated,
  novelty,
  pickCoverage,
  popularShare,
} from '../../src/recommend/evaluation/beyond-accuracy.js';
import { ListTally } from '../../src/recommend/evaluation/list-tally.js';
import { famousPickCases } from '../../src/recommend/evaluation/splits.js';

// Five items: ratings per item, and genres 0 = Drama, 1 = Comedy, 2 = Horror.
const popularity = [8, 4, 2, 1, 1];
const genres = { genreCount: 3, of: [[0], [0, 1], [1], [2], []].map((g) => Int32Array.from(g)) };

test('mostRated and popularShare: the head is the most-rated items, ties to the lower row', () => {
  const head = mostRated(popularity, 3);
  assert.deepEqual([...head].sort(), [0, 1, 2]);
  assert.equal(popularShare([0, 3, 4, 1], head), 0.5);
  assert.equal(popularShare([], head), 0);
  assert.deepEqual([...mostRated(popularity, 4)].sort(), [0, 1, 2, 3], 'items 3 and 4 tie: the lower row wins');
});

test('meanPairwiseJaccard over every pair of lists', () => {
  // {0,1} vs {1,2}: 1/3; {0,1} vs {3,4}: 0; {1,2} vs {3,4}: 0 → mean 1/9
  assert.equal(meanPairwiseJaccard([[0, 1], [2, 1], [3, 4]]), 1 / 9);
  assert.equal(meanPairwiseJaccard([[0, 1], [1, 0]]), 1);
  assert.equal(meanPairwiseJaccard([[0, 1]]), 0);
});

test('pickCoverage: share of the picks named as because at least once', () => {
  assert.equal(pickCoverage([10, 11, 12, 13], [10, 10, 12, 10]), 0.5);
  assert.equal(pickCoverage([10], []), 0);
});

test('novelty: mean −log2 of the items’ shares of all ratings, unrated items counted once', () => {
  // 16 ratings: item 0 has 8/16 → 1 bit, item 1 4/16 → 2 bits
  assert.equal(novelty([0, 1], popularity, 16), 1.5);
  assert.equal(novelty([0], [0], 4), 2, 'an item without ratings counts as rated once');
});

test('intraListDiversity: mean genre distance over pairs', () => {
  // pairs: (0,1) 1 − 1/2, (0,2) 1 − 0, (1,2) 1 − 1/2 → (0.5 + 1 + 0.5) / 3
  assert.equal(intraListDiversity([0, 1, 2], genres), 2 / 3);
  assert.equal(intraListDiversity([0], genres), 0);
});

test("genreMiscalibration: Steck's KL(p ‖ (1 − α)q + αp), 0 when the mixes match", () => {
  assert.equal(genreMiscalibration([0], [0], genres), 0);
  // p = Drama 1; list = item 2 (Comedy only): q̃(Drama) = α·1 → KL = ln(1/α)
  assert.ok(Math.abs(genreMiscalibration([0], [2], genres) - Math.log(100)) < 1e-12);
  // p = item 1 = Drama ½, Comedy ½; q = item 0 = Drama 1 → ½ln(½ / (0.99 + 0.005)) + ½ln(½ / 0.005)
  const expected = 0.5 * Math.log(0.5 / 0.995) + 0.5 * Math.log(0.5 / 0.005);
  assert.ok(Math.abs(genreMiscalibration([1], [0], genres) - expected) < 1e-12);
});

test('ListTally: every figure at each cut, on two hand-made users', () => {
  const tally = new ListTally({ popularity, genres }, [1, 2]);
  tally.add({ picks: [3], relevant: new Set([1]), items: [0, 1], because: [3, 3] });
  tally.add({ picks: [4, 2], relevant: new Set([3]), items: [3, 0], because: [4, 4] });
  const m = tally.metrics();
  assert.equal(m.recallAt1, 0.5, 'user 2 finds item 3 at the top');
  assert.equal(m.recallAt2, 1);
  assert.equal(m.overlapAt1, 0, '{0} vs {3}');
  assert.equal(m.overlapAt2, 1 / 3, '{0,1} vs {0,3}');
  assert.equal(m.pickCoverageAt2, (1 + 0.5) / 2);
  assert.equal(m.coverageAt2, 3 / 5);
  // POPULAR_HEAD 100 covers all five items here
  assert.equal(m.popShareAt2, 1);
  assert.ok(Math.abs(m.noveltyAt1 - (Math.log2(16 / 8) + Math.log2(16 / 1)) / 2) < 1e-12);
});

test('famousPickCases: the most-rated liked items become the picks, the rest is to be found', () => {
  const cases = [{ user: 7, picks: Int32Array.from([3, 4]), relevant: Int32Array.from([0, 2]) }];
  const [famous] = famousPickCases(cases, popularity, 2);
  assert.equal(famous.user, 7);
  assert.deepEqual([...famous.picks], [0, 2]);
  assert.deepEqual([...famous.relevant], [3, 4]);
});
