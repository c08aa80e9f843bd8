import { test } from 'node:test';
import assert from 'node:assert/strict';
import { decide, type TuningScore } from '../../scripts/tune-decision.js';

const c = (rank: number, regularization: number, alpha: number, recallAt20: number, recallAt12: number): TuningScore => ({ rank, regularization, alpha, recallAt20, recallAt12 });
const isDefault = (x: TuningScore): boolean => x.rank === 64 && x.regularization === 0.5 && x.alpha === 2;

test('the defaults stay unless beaten by more than the tie margin', () => {
  const grid = [c(64, 0.5, 2, 0.30, 0.10), c(128, 0.5, 2, 0.303, 0.101), c(32, 0.25, 2, 0.29, 0.10)];
  const d = decide(grid, isDefault, 0.02);
  assert.equal(d.defaults.score, 2);
  assert.equal(d.best, grid[1]);
  assert.equal(d.chosen, grid[0]);
  assert.equal(d.change, false);
});

test('a clear winner is taken, the lowest rank among the winners within the margin of the best', () => {
  const grid = [c(64, 0.5, 2, 0.30, 0.10), c(128, 1, 2, 0.33, 0.11), c(64, 1, 2, 0.327, 0.109), c(32, 1, 2, 0.31, 0.10)];
  const d = decide(grid, isDefault, 0.02);
  assert.equal(d.best, grid[1]);
  assert.equal(d.chosen, grid[2]);
  assert.equal(d.change, true);
  assert.throws(() => decide([c(32, 1, 1, 0.3, 0.1)], isDefault, 0.02), /must hold the current defaults/);
});
