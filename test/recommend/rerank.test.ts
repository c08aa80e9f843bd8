import { test } from 'node:test';
import assert from 'node:assert/strict';
import { itemSimScorer, quickRecommend } from '../../src/recommend/quick.js';
import { prepareModel } from '../../src/recommend/foldin.js';
import { candidatesFromScorer } from '../../src/recommend/rerank/candidates.js';
import { headOf } from '../../src/recommend/rerank/item-facts.js';
import { rerank, type ItemFacts, type RerankCandidates, type RerankOptions } from '../../src/recommend/rerank/rerank.js';
import { DISCOVERY_STEPS, discoverySetting } from '../../src/recommend/rerank/steps.js';

const none: RerankOptions = { popularityExponent: 0, discountFrom: 0, headShare: 1, quotaByPicks: false, pickPenalty: 0, calibration: 0, diversity: 0 };

// Items 0–5; picks are items 10 and 11. Items 0–2 are popular (the head), 3–5 are not.
const facts: ItemFacts = {
  popularity: [100, 90, 80, 10, 10, 10, 0, 0, 0, 0, 50, 5],
  head: Uint8Array.from([1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0]),
  genres: { genreCount: 2, of: [[0], [0], [0], [1], [0], [1], [], [], [], [], [0], [1]].map((g) => Int32Array.from(g)) },
};
// Pick 10 explains items 0–3, pick 11 items 4–5.
const candidates: RerankCandidates = {
  picks: Int32Array.from([10, 11]),
  items: Int32Array.from([0, 1, 2, 3, 4, 5]),
  scores: Float64Array.from([1.0, 0.95, 0.9, 0.6, 0.5, 0.4]),
  contributions: Float64Array.from([0.9, 0.1, 0.9, 0.05, 0.8, 0.1, 0.5, 0.1, 0.2, 0.3, 0.1, 0.3]),
};
const items = (list: { item: number }[]) => list.map((r) => r.item);

test('plain: the candidates by score, each because the pick contributing most', () => {
  const plain = rerank(candidates, facts, null, 4);
  assert.deepEqual(items(plain), [0, 1, 2, 3]);
  assert.deepEqual(plain.map((r) => r.because), [10, 10, 10, 10]);
  assert.deepEqual(items(rerank(candidates, facts, none, 6)), [0, 1, 2, 3, 4, 5], 'all-zero options keep the order');
});

test('popularity discount: s·(m/pop)^β above m ratings reorders popular items below the rest', () => {
  // β = 1, m = 10: items 0–2 → 0.1, 0.106, 0.1125; items 3–5 keep 0.6, 0.5, 0.4
  assert.deepEqual(items(rerank(candidates, facts, { ...none, popularityExponent: 1, discountFrom: 10 }, 6)), [3, 4, 5, 2, 1, 0]);
});

test('head quota: at most ⌈share·k⌉ head items in every prefix', () => {
  // share 0.5: head allowed at k = 1 (1), k = 2 (1), k = 3 (2), k = 4 (2)
  assert.deepEqual(items(rerank(candidates, facts, { ...none, headShare: 0.5 }, 4)), [0, 3, 1, 4]);
  assert.deepEqual(items(rerank(candidates, facts, { ...none, headShare: 0 }, 6)), [3, 4, 5], 'the list stops when only head items remain');
});

test('quota by picks: loosened by the share of picks outside the head', () => {
  const oneHeadPick: ItemFacts = { ...facts, head: Uint8Array.from([1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0]) };
  // picks 10 (head) and 11 (not): share = 1 − (1 − 0)·½ = ½ → as the fixed quota of ½
  assert.deepEqual(items(rerank(candidates, oneHeadPick, { ...none, headShare: 0, quotaByPicks: true }, 4)), [0, 3, 1, 4]);
  // κ = 2: f = ½ counts as ¼, share = ¾ → at most 1, 2, 3, 3 head items in the prefixes of 1–4
  assert.deepEqual(items(rerank(candidates, oneHeadPick, { ...none, headShare: 0, quotaByPicks: true, quotaPicksExponent: 2 }, 4)), [0, 1, 2, 3]);
  // the cap holds whatever the picks and the quota (headShare 1: no quota at all)
  const allHeadPicks: ItemFacts = { ...facts, head: Uint8Array.from([1, 1, 1, 0, 0, 0, 0, 0, 0, 0, 1, 1]) };
  assert.deepEqual(items(rerank(candidates, allHeadPicks, { ...none, headShare: 1, quotaByPicks: true, headCap: 0.5 }, 4)), [0, 3, 1, 4]);
  // no head pick: no quota at all
  assert.deepEqual(items(rerank(candidates, facts, { ...none, headShare: 0, quotaByPicks: true }, 4)), [0, 1, 2, 3]);
});

test('head penalty: a head item stays only while it beats the best item outside the head by more than τ', () => {
  // τ = 0.38: item 0 (1.0 − τ = 0.62) beats item 3 (0.6), which beats item 1 (0.57); items 1 and 2 (0.52) beat item 4 (0.5)
  assert.deepEqual(items(rerank(candidates, facts, { ...none, headPenalty: 0.38 }, 6)), [0, 3, 1, 2, 4, 5]);
  // τ = 0.7: every head item falls below every item outside the head
  assert.deepEqual(items(rerank(candidates, facts, { ...none, headPenalty: 0.7 }, 6)), [3, 4, 5, 0, 1, 2]);
});

test('pick penalty: a pick that already explains items gives way to the other pick', () => {
  // γ = 0.3: item 1 (0.95 − 0.3) still beats item 4 (0.5); then item 4 beats item 2 (0.9 − 0.6)
  const list = rerank(candidates, facts, { ...none, pickPenalty: 0.3 }, 3);
  assert.deepEqual(items(list), [0, 1, 4]);
  assert.deepEqual(list.map((r) => r.because), [10, 10, 11]);
});

test('calibration: λ pulls the genre mix toward the picks’ (half genre 0, half genre 1)', () => {
  const list = rerank(candidates, facts, { ...none, calibration: 0.9 }, 2);
  assert.deepEqual(items(list), [0, 3], 'the second item brings the missing genre 1');
});

test('diversity: MMR skips items whose genres repeat the chosen ones', () => {
  assert.deepEqual(items(rerank(candidates, facts, { ...none, diversity: 0.5 }, 2)), [0, 3]);
});

test("steps: familiar is today's itemsim in plain order; every other step re-ranks", () => {
  assert.deepEqual(discoverySetting('familiar'), { quickMethod: 'itemsim', rerank: null });
  for (const step of DISCOVERY_STEPS.slice(1)) assert.ok(discoverySetting(step).rerank !== null, step);
  assert.throws(() => discoverySetting('bold' as never), /unknown discovery step/);
});

test("the familiar step over a scorer's candidates reproduces today's quick recommendations exactly", () => {
  const rank = 3;
  const itemIds = Int32Array.from({ length: 40 }, (_, i) => 100 + i);
  const itemFactors = Float32Array.from({ length: 40 * rank }, (_, n) => Math.sin(n * 1.7) + (n % rank === 0 ? 0.5 : 0));
  const prepared = prepareModel({ rank, itemIds, itemFactors, params: { rank, iterations: 1, regularization: 0.1, alpha: 1, ratingThreshold: null, scaleRegularization: false, seed: 1 }, engine: 'inprocess', trainedAt: '' });
  const picks = [103, 117, 129];
  const today = quickRecommend(prepared, picks, 12, { method: 'itemsim' });
  const reranked = rerank(candidatesFromScorer(itemSimScorer(prepared, picks), 20), { ...facts, popularity: new Float64Array(40), head: headOf(new Float64Array(40)) }, null, 12);
  assert.deepEqual(
    reranked.map((r) => ({ movieId: itemIds[r.item], score: r.score, because: itemIds[r.because] })),
    today.map((r) => ({ movieId: r.movieId, score: r.score, because: r.because })),
  );
});

test('pick cap: no pick explains more than ⌈k/picks⌉ + 1 of any prefix, unless only its items are left', () => {
  // two picks: pick 10 (items 0–3) may explain 2 of the first 1–2 items, 3 of the first 3–4, 4 of the first 5–6
  const list = rerank(candidates, facts, { ...none, pickCap: true }, 6);
  assert.deepEqual(items(list), [0, 1, 2, 4, 3, 5]);
  assert.deepEqual(items(rerank({ ...candidates, items: candidates.items.slice(0, 4), scores: candidates.scores.slice(0, 4), contributions: candidates.contributions.slice(0, 8) }, facts, { ...none, pickCap: true }, 4)), [0, 1, 2, 3]);
});

test("per-pick pool: each pick's own top items by its contribution join the scorer's top items", () => {
  const picks = Int32Array.from([0, 1]);
  // pick 0 contributes 10 − i to item i, pick 1 contributes i / 10: overall the low items win, pick 1's own are the high ones
  const scorer = {
    picks,
    scores: Float64Array.from({ length: 12 }, (_, i) => 10 - i + i / 10),
    contributions(item: number, out: Float64Array) {
      out[0] = 10 - item;
      out[1] = item / 10;
    },
  };
  assert.deepEqual([...candidatesFromScorer(scorer, 3).items], [2, 3, 4]);
  const pooled = candidatesFromScorer(scorer, 3, 2);
  assert.deepEqual([...pooled.items], [2, 3, 4, 11, 10]);
  assert.deepEqual([...pooled.contributions.slice(6, 8)], [-1, 1.1]);
  assert.equal(pooled.scores[3], scorer.scores[11]);
});
