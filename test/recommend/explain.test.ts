import { test } from 'node:test';
import assert from 'node:assert/strict';
import { explainCandidates } from '../../src/recommend/explain.js';
import { foldInUser, prepareModel } from '../../src/recommend/foldin.js';
import { quickRecommend, type QuickMethod } from '../../src/recommend/quick.js';
import { smallModel } from '../support/small-model.js';

const PICKS = [260, 1196, 1210, 2571, 1198]; // Star Wars IV–VI, The Matrix, Raiders

test('the because of any candidate is the one quick recommendations give it, for every method', async () => {
  const prepared = prepareModel(await smallModel());
  for (const method of ['foldin', 'itemsim', 'blend'] as QuickMethod[]) {
    const ranked = quickRecommend(prepared, PICKS, 60, { method });
    // Candidates in another order than ranked (a re-ranker's), and a subset: the explanation does not depend on it.
    const candidates = ranked.map((r) => r.movieId).reverse();
    const explained = explainCandidates(prepared, PICKS, candidates, { method });
    assert.deepEqual(Array.from(explained.picks), PICKS);
    assert.deepEqual(Array.from(explained.because), ranked.map((r) => r.because).reverse(), method);
    assert.ok(new Set(explained.because).size > 1, `${method}: the reasons differ`);
  }
});

test('fold-in contributions add up to the candidate score y_i·x: the per-pick matrix splits each score', async () => {
  const prepared = prepareModel(await smallModel());
  const { rank, itemFactors } = prepared.model;
  const ratings = PICKS.map(() => 4);
  const x = foldInUser(prepared, PICKS, ratings);
  const candidates = [1, 318, 296, 4993, 7153];
  const { contributions } = explainCandidates(prepared, PICKS, candidates, { method: 'foldin', ratings });
  assert.equal(contributions.length, candidates.length * PICKS.length);
  candidates.forEach((id, c) => {
    const row = prepared.itemIndex.get(id)!;
    let score = 0;
    for (let a = 0; a < rank; a++) score += itemFactors[row * rank + a] * x[a];
    const sum = contributions.subarray(c * PICKS.length, (c + 1) * PICKS.length).reduce((s, v) => s + v, 0);
    assert.ok(Math.abs(sum - score) <= 1e-9 * Math.max(1, Math.abs(score)), `movie ${id}: Σ contributions ${sum} ≠ score ${score}`);
  });
});

test('picks the model lacks are skipped; none in the model, or a candidate not in it, is an error', async () => {
  const prepared = prepareModel(await smallModel());
  const withUnknown = [999_999_001, ...PICKS, 999_999_002];
  const explained = explainCandidates(prepared, withUnknown, [1, 318], { method: 'foldin', ratings: withUnknown.map(() => 5) });
  assert.deepEqual(Array.from(explained.picks), PICKS);
  assert.deepEqual(explained.because, explainCandidates(prepared, PICKS, [1, 318], { method: 'foldin' }).because);
  assert.throws(() => explainCandidates(prepared, [999_999_001], [1], { method: 'foldin' }), {
    message: 'none of the picks (999999001) is in the model: nothing explains the candidates',
  });
  assert.throws(() => explainCandidates(prepared, PICKS, [999_999_003], { method: 'foldin' }), { message: 'candidate movie 999999003 is not in the model' });
  assert.deepEqual(explainCandidates(prepared, PICKS, [], { method: 'foldin' }).because, new Int32Array(0));
});
