import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ratingsFromTriples } from '../../src/recommend/evaluation/ratings-matrix.js';
import type { KnownUserSplit, NewUserCase } from '../../src/recommend/evaluation/splits.js';
import { readPeerExport, writePeerExport, type PeerResult } from '../../scripts/peers/export-format.js';
import { parseBenchPeersArgs } from '../../scripts/peers/options.js';
import { knownUserScorerFromFactors, newUserScorerFromModel, peerModel, sampleKnownUsers, sampleNewUsers } from '../../scripts/peers/scoring.js';
import { listAgreement } from '../../scripts/peers/notebook.js';
import { targetRows, type PeerReport } from '../../scripts/peers/summary.js';

const result: PeerResult = { engine: 'test', rank: 2, users: 2, items: 2, ratings: 3, trainSeconds: 1, iterations: [], peakRssBytes: 0 };

test('the export folder round-trips ids and factors, and refuses a size mismatch', () => {
  const dir = mkdtempSync(join(tmpdir(), 'peer-export-'));
  try {
    const factors = { rank: 2, userIds: Int32Array.from([7, 9]), userFactors: Float32Array.from([1, 2, 3, 4]), itemIds: Int32Array.from([100, 5]), itemFactors: Float32Array.from([0.5, -1, 2, 0]) };
    writePeerExport(dir, factors, result);
    const back = readPeerExport(dir);
    assert.deepEqual([...back.userIds], [7, 9]);
    assert.deepEqual([...back.itemFactors], [0.5, -1, 2, 0]);
    assert.equal(back.result.engine, 'test');
    writeFileSync(join(dir, 'item_factors.f32'), new Uint8Array(12));
    assert.throws(() => readPeerExport(dir), /3 values for 2 ids × rank 2/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a peer is scored through its ids: users and items in any order, movies it lacks score −∞', () => {
  // Training matrix: users 1, 2; movies 10, 20, 30 (dense 0, 1, 2).
  const train = ratingsFromTriples(Int32Array.from([1, 2]), Int32Array.from([10, 20, 30]), Int32Array.from([0, 1]), Int32Array.from([0, 1]), Float32Array.from([5, 4]));
  // The peer knows users 2, 1 and movies 30, 10 (not 20), rank 1.
  const peer = { result: { ...result, rank: 1 }, rank: 1, userIds: Int32Array.from([2, 1]), userFactors: Float32Array.from([-1, 2]), itemIds: Int32Array.from([30, 10]), itemFactors: Float32Array.from([3, 1]) };
  const out = new Float64Array(3);
  knownUserScorerFromFactors(train, peer)(0, out); // user 1: x = 2
  assert.deepEqual([...out], [2, -Infinity, 6]);

  const prepared = peerModel(peer, { rank: 1, iterations: 1, regularization: 0.5, alpha: 2, ratingThreshold: null, scaleRegularization: true, seed: 1 });
  const itemsim = newUserScorerFromModel(train.itemIds, prepared, 'itemsim');
  assert.deepEqual([...itemsim(Int32Array.from([2]))], [3, -Infinity, 9]); // picks movie 30: y = 3
  assert.deepEqual([...itemsim(Int32Array.from([1]))], [-Infinity, -Infinity, -Infinity]); // movie 20 unknown to the peer
});

test('samples keep at most N users, seeded, the same every time', () => {
  const train = ratingsFromTriples(Int32Array.from([1, 2, 3, 4]), Int32Array.from([1]), Int32Array.from([0]), Int32Array.from([0]), Float32Array.from([1]));
  const split: KnownUserSplit = { train, heldOut: { indptr: Int32Array.from([0, 1, 2, 3, 4]), items: Int32Array.from([0, 0, 0, 0]) } };
  const a = sampleKnownUsers(split, 2, 7);
  assert.equal(a.heldOut.items.length, 2);
  assert.deepEqual(sampleKnownUsers(split, 2, 7).heldOut, a.heldOut);
  assert.equal(sampleKnownUsers(split, 10, 7), split);
  const cases: NewUserCase[] = [0, 1, 2, 3].map((user) => ({ user, picks: Int32Array.from([0]), relevant: Int32Array.from([0]) }));
  const b = sampleNewUsers(cases, 3, 1);
  assert.equal(b.length, 3);
  assert.deepEqual(b.map((c) => c.user), [...b.map((c) => c.user)].sort());
});

test('options: defaults, smoke, and one-line errors', () => {
  const d = parseBenchPeersArgs([], '/repo');
  assert.ok(d !== 'help');
  assert.equal(d.dataset, 'ml-latest-small');
  assert.equal(d.rank, 64);
  assert.equal(d.iterations, 15);
  assert.deepEqual(d.peers, ['moviehunter', 'spark', 'implicit']);
  assert.equal(d.out, '/repo/artifacts/bench-peers-ml-latest-small.json');
  const s = parseBenchPeersArgs(['--smoke', '--peers', 'implicit,moviehunter'], '/repo');
  assert.ok(s !== 'help');
  assert.deepEqual([s.dataset, s.rank, s.iterations, s.folds, s.peers], ['smoke', 8, 3, 1, ['moviehunter', 'implicit']]);
  assert.equal(s.peersB, null);
  const b = parseBenchPeersArgs(['--peers', 'moviehunter,spark,moviehunter-unscaled', '--b-peers', 'moviehunter'], '/repo');
  assert.ok(b !== 'help');
  assert.deepEqual([b.peers, b.peersB], [['moviehunter', 'spark', 'moviehunter-unscaled'], ['moviehunter']]);
  assert.throws(() => parseBenchPeersArgs(['--dataset', 'ml-1b'], '/repo'), /--dataset must be one of/);
  assert.throws(() => parseBenchPeersArgs(['--peers', 'mahout'], '/repo'), /unknown peer "mahout"/);
  assert.throws(() => parseBenchPeersArgs(['--rank', '0'], '/repo'), /--rank must be/);
});

test('list agreement: overlap, first ten, Spearman', () => {
  assert.deepEqual(listAgreement([1, 2, 3], [1, 2, 3]), { top: 3, overlap: 3, top10Overlap: 3, spearman: 1 });
  const reversed = listAgreement([1, 2, 3, 4], [4, 3, 2, 1]);
  assert.equal(reversed.spearman, -1);
  assert.deepEqual(listAgreement([1, 2], [3, 4]), { top: 2, overlap: 0, top10Overlap: 0, spearman: null });
});

test('targets: ratios against the peers, and n/a where a peer is missing', () => {
  const peer = (engine: 'moviehunter' | 'spark' | 'implicit', trainSeconds: number, recallAt20: number, itemsim: number): PeerReport => ({
    engine, status: 'ok', trainSeconds,
    protocolA: { users: 1, metrics: { precisionAt10: 0, recallAt20, ndcgAt10: 0, coverageAt10: 0 }, curves: { ks: [1], users: 1, recall: [0], precision: [0], ndcg: [0] } },
    protocolB: { itemsim: { users: 1, metrics: { recallAt12: itemsim, ndcgAt12: 0, coverageAt12: 0 }, curves: { ks: [1], users: 1, recall: [0], precision: [0], ndcg: [0] } } },
  });
  const baselines = { A: {}, B: { popularity: { users: 1, metrics: { recallAt12: 0.1, ndcgAt12: 0, coverageAt12: 0 }, curves: { ks: [1], users: 1, recall: [0], precision: [0], ndcg: [0] } } } };
  const params = { rank: 64, iterations: 15, regularization: 0.5, alpha: 2, seed: 42, scaleRegularization: true as const };
  const rows = targetRows({ peers: [peer('moviehunter', 2, 0.31, 0.2), peer('spark', 10, 0.32, 0.15), peer('implicit', 0.5, 0.30, 0.1)], baselines, params, servedQuickMethod: 'itemsim' });
  const byId = Object.fromEntries(rows.map((r) => [r.id, r]));
  assert.equal(byId['time.spark'].measured, 0.2);
  assert.equal(byId['time.spark'].holds, true);
  assert.equal(byId['time.implicit'].measured, 4);
  assert.equal(byId['time.implicit'].holds, false);
  assert.ok(Math.abs(byId['quality.a'].measured! - 0.31 / 0.32) < 1e-12);
  assert.equal(byId['quality.a'].holds, false);
  assert.equal(byId['quality.b.popularity'].holds, true);
  assert.ok(Math.abs(byId['quality.b.original'].measured! - 0.2 / 0.15) < 1e-12);
  const alone = targetRows({ peers: [peer('moviehunter', 2, 0.31, 0.2)], baselines, params, servedQuickMethod: 'itemsim' });
  assert.deepEqual(alone.map((r) => r.holds), [null, null, null, true, null]);
});
