import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chooseSteps, figureNoise, keepsFamousPicksOffTheChart, MARGIN_Z, type FigureNoise, type GridResult, type ScenarioFigures } from '../../src/recommend/evaluation/rerank-search.js';

const options = { popularityExponent: 0, discountFrom: 60, headShare: 0.4, quotaByPicks: false, pickPenalty: 0.01, calibration: 0, diversity: 0 };
const figures = (f: Partial<ScenarioFigures>): ScenarioFigures => ({
  recallAt12: 0.1,
  recallRatio: 1,
  popShareAt12: 0.3,
  overlapAt12: 0.05,
  pickCoverageAt12: 0.8,
  calibrationKlAt12: 0.7,
  ...f,
});
const sd = figures({ recallAt12: 0.01, recallRatio: 0.02, popShareAt12: 0.02, overlapAt12: 0.01, pickCoverageAt12: 0.05, calibrationKlAt12: 0.05 });
const result = (headShare: number, random: Partial<ScenarioFigures>, famous: Partial<ScenarioFigures> = {}): GridResult => ({
  scorer: { quickMethod: 'blend' },
  options: { ...options, headShare },
  random: figures(random),
  famous: figures({ recallRatio: 1.4, overlapAt12: 0.15, ...famous }),
  foldSd: { random: sd, famous: sd },
});
const noise: FigureNoise = { random: sd, famous: sd };

test('balanced: among settings meeting the guarded targets by the margin, the one with the most room on recall', () => {
  const edge = result(0.45, { recallRatio: 1.05, popShareAt12: 0.49 }); // meets 0.50, not by 2.4 × 0.02
  const safe = result(0.4, { recallRatio: 0.99, popShareAt12: 0.5 - MARGIN_Z * 0.02 - 0.001 });
  const safer = result(0.3, { recallRatio: 0.97, popShareAt12: 0.3 }, { recallRatio: 2 });
  assert.equal(chooseSteps([edge, safe, safer], noise).balanced, safe);
});

test('explore: the best mean recall ratio under its ceiling with margin', () => {
  const over = result(0.45, { recallRatio: 1, popShareAt12: 0.34 }, { popShareAt12: 0.3 });
  const under = result(0.2, { recallRatio: 0.8, popShareAt12: 0.25 }, { popShareAt12: 0.28 });
  const lower = result(0.1, { recallRatio: 0.7, popShareAt12: 0.15 }, { popShareAt12: 0.15 });
  assert.equal(chooseSteps([over, under, lower], noise).explore, under);
});

test('when no setting meets the guarded targets, the one whose worst target has the most standard errors to spare', () => {
  const recallShort = result(0.45, { recallRatio: 0.93, popShareAt12: 0.47 }); // worst: recall, −1 SE
  const popShort = result(0.4, { recallRatio: 1, popShareAt12: 0.51 }); // worst: top-100 share, −0.5 SE
  assert.equal(chooseSteps([recallShort, popShort], noise).balanced, popShort);
});

test('the noise is the median fold deviation scaled to a difference of two means over folds', () => {
  const spread = (s: number) => ({ ...result(0.4, {}), foldSd: { random: figures({ popShareAt12: s }), famous: sd } });
  const n = figureNoise([spread(0.01), spread(0.03), spread(0.05)], 10, 10);
  assert.ok(Math.abs(n.random.popShareAt12 - 0.03 * Math.sqrt(0.2)) < 1e-12);
});

test('balanced: a setting that lifts the quota for mostly famous picks is never the default, whatever its figures', () => {
  const lifted = { ...result(0.35, { recallRatio: 1.1 }), options: { ...options, headShare: 0.35, quotaByPicks: true, quotaPicksExponent: 8 } };
  const kept = { ...result(0.35, { recallRatio: 1 }), options: { ...options, headShare: 0.35, quotaByPicks: true, quotaPicksExponent: 8, quotaFullFrom: 0.8 } };
  // 4 of 5 picks in the head: κ 8 leaves 1 − 0.65·0.8⁸ ≈ 0.89 of the list to the head; f₀ 0.8 keeps the quota at 0.35
  assert.equal(keepsFamousPicksOffTheChart(lifted.options), false);
  assert.equal(keepsFamousPicksOffTheChart(kept.options), true);
  assert.equal(keepsFamousPicksOffTheChart({ ...options, headShare: 0.35, quotaByPicks: true }), true, 'κ 1: 1 − 0.65·0.8 = 0.48');
  assert.equal(chooseSteps([lifted, kept], noise).balanced, kept);
});
