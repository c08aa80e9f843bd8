import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { DEFAULT_DISCOVERY_STEP } from '../../src/services/discovery.js';
import { ShownMemo } from '../../src/services/shown-memo.js';
import { testDiscovery } from '../support/services.js';

const candidates = [
  { movieId: 1, score: 0.9, because: 10 },
  { movieId: 2, score: 0.8, because: 11 },
  { movieId: 3, score: 0.7, because: 10 },
];

describe('ShownMemo', () => {
  test('remembers the shown positions, and any change of an input is another key', () => {
    const memo = new ShownMemo(8);
    const key = memo.keyOf(candidates, [10, 11], 'balanced', 2);
    assert.equal(memo.get(key), undefined);
    assert.deepEqual([...memo.set(key, [2, 0])], [2, 0]);
    assert.deepEqual([...memo.get(key)!], [2, 0]);
    const others = [
      memo.keyOf(candidates, [10, 11], 'explore', 2),
      memo.keyOf(candidates, [10, 11], 'balanced', 3),
      memo.keyOf(candidates, [11, 10], 'balanced', 2),
      memo.keyOf(candidates, [10], 'balanced', 2),
      memo.keyOf([candidates[0], candidates[1]], [10, 11], 'balanced', 2),
      memo.keyOf([{ ...candidates[0], score: 0.9000000001 }, candidates[1], candidates[2]], [10, 11], 'balanced', 2),
      memo.keyOf([{ ...candidates[0], because: 11 }, candidates[1], candidates[2]], [10, 11], 'balanced', 2),
      memo.keyOf([candidates[1], candidates[0], candidates[2]], [10, 11], 'balanced', 2),
    ];
    assert.equal(new Set([key, ...others]).size, others.length + 1);
    // Equal inputs in new objects (as a new read from the store gives) are the same key.
    assert.equal(memo.keyOf(candidates.map((c) => ({ ...c })), [10, 11], 'balanced', 2), key);
  });

  test('holds at most its capacity, the least recently used leaving first', () => {
    const memo = new ShownMemo(2);
    const keys = [1, 2, 3].map((n) => memo.keyOf(candidates, [n], 'balanced', 1));
    memo.set(keys[0], [0]);
    memo.set(keys[1], [1]);
    assert.ok(memo.get(keys[0])); // keys[0] is now the most recent
    memo.set(keys[2], [2]);
    assert.equal(memo.get(keys[1]), undefined);
    assert.deepEqual([...memo.get(keys[0])!], [0]);
    assert.deepEqual([...memo.get(keys[2])!], [2]);
  });
});

describe('Discovery.shown with its memo', () => {
  test('a remembered re-ranking returns the same movies as a fresh one, as the caller\'s own objects', async () => {
    const picks = [1, 260, 2571, 296, 318];
    const stored = Array.from({ length: 300 }, (_, i) => ({ movieId: [2, 3, 5, 6, 7, 10, 11, 16, 17, 19][i % 10] + 100 * Math.floor(i / 10), score: 1 - i / 1000, because: picks[i % 5], extra: i }));
    const fresh = (await testDiscovery()).shown(stored, picks, DEFAULT_DISCOVERY_STEP, 48);
    const discovery = await testDiscovery();
    const first = discovery.shown(stored, picks, DEFAULT_DISCOVERY_STEP, 48);
    const again = stored.map((c) => ({ ...c }));
    const second = discovery.shown(again, picks, DEFAULT_DISCOVERY_STEP, 48);
    assert.ok(first.length > 12);
    assert.deepEqual(first.map((c) => c.movieId), fresh.map((c) => c.movieId));
    assert.deepEqual(second.map((c) => c.movieId), fresh.map((c) => c.movieId));
    assert.ok(second.every((c) => again.includes(c)));
  });
});
