import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { RatingsMatrix } from '../../src/catalog/types.js';
import { createRandom } from '../../src/recommend/random.js';
import { ratingsFromTriples } from '../../src/recommend/evaluation/ratings-matrix.js';
import { heldOutCount, splitKnownUsers, splitNewUserFolds, splitNewUsers, userFolds } from '../../src/recommend/evaluation/splits.js';

/** 60 users × 80 items, each user rating 3..40 distinct items with 0.5..5 stars; seeded. */
function syntheticRatings(): RatingsMatrix {
  const random = createRandom(7);
  const users: number[] = [];
  const items: number[] = [];
  const values: number[] = [];
  for (let u = 0; u < 60; u++) {
    const chosen = new Set<number>();
    const count = 3 + random.int(38);
    while (chosen.size < count) chosen.add(random.int(80));
    for (const i of chosen) {
      users.push(u);
      items.push(i);
      values.push(0.5 * (1 + random.int(10)));
    }
  }
  const userIds = Int32Array.from({ length: 60 }, (_, u) => 1000 + u);
  const itemIds = Int32Array.from({ length: 80 }, (_, i) => 5 * i + 1);
  return ratingsFromTriples(userIds, itemIds, Int32Array.from(users), Int32Array.from(items), Float32Array.from(values));
}

/** "item:rating" of every rating of row u. */
function rowEntries(m: RatingsMatrix['byUser'], u: number): string[] {
  const out: string[] = [];
  for (let n = m.indptr[u]; n < m.indptr[u + 1]; n++) out.push(`${m.indices[n]}:${m.values[n]}`);
  return out;
}

const ratings = syntheticRatings();

test('heldOutCount rounds 20% to the nearest whole rating, at least one, never all', () => {
  const expected: Array<[number, number]> = [[0, 0], [1, 0], [2, 1], [3, 1], [5, 1], [7, 1], [8, 2], [12, 2], [13, 3], [100, 20]];
  for (const [liked, held] of expected) assert.equal(heldOutCount(liked, 0.2), held, `liked ${liked}`);
  assert.equal(heldOutCount(2, 0.9), 1);
});

test('protocol A split: held-out and training ratings partition each user, only liked ratings are held out', () => {
  const split = splitKnownUsers(ratings, { fraction: 0.2, threshold: 4, seed: 1 });
  const { train, heldOut } = split;
  assert.deepEqual(train.userIds, ratings.userIds);
  assert.deepEqual(train.itemIds, ratings.itemIds);
  let heldTotal = 0;
  for (let u = 0; u < ratings.byUser.rows; u++) {
    const all = rowEntries(ratings.byUser, u);
    const kept = rowEntries(train.byUser, u);
    const held = Array.from(heldOut.items.subarray(heldOut.indptr[u], heldOut.indptr[u + 1]));
    const liked = all.filter((e) => Number(e.split(':')[1]) >= 4);
    assert.equal(held.length, heldOutCount(liked.length, 0.2), `user ${u}`);
    const heldEntries = all.filter((e) => held.includes(Number(e.split(':')[0])));
    assert.equal(heldEntries.length, held.length, 'each held-out item is one of the user’s ratings');
    for (const e of heldEntries) assert.ok(Number(e.split(':')[1]) >= 4, `held-out ${e} is liked`);
    for (const e of heldEntries) assert.ok(!kept.includes(e), `held-out ${e} leaks into training`);
    assert.deepEqual([...kept, ...heldEntries].sort(), [...all].sort(), 'nothing lost, nothing added');
    heldTotal += held.length;
  }
  assert.ok(heldTotal > 50);
  assert.equal(train.byUser.indptr[train.byUser.rows] + heldTotal, ratings.byUser.indptr[ratings.byUser.rows]);
  assert.equal(train.byItem.indptr[train.byItem.rows], train.byUser.indptr[train.byUser.rows], 'byItem is the same ratings');
});

test('protocol A split: the same seed gives the same split, another seed a different one', () => {
  const a = splitKnownUsers(ratings, { fraction: 0.2, threshold: 4, seed: 1 });
  const b = splitKnownUsers(ratings, { fraction: 0.2, threshold: 4, seed: 1 });
  const c = splitKnownUsers(ratings, { fraction: 0.2, threshold: 4, seed: 2 });
  assert.deepEqual(a.heldOut, b.heldOut);
  assert.deepEqual(a.train.byUser, b.train.byUser);
  assert.notDeepEqual(a.heldOut.items, c.heldOut.items);
});

test('protocol B split: held-out users leave training entirely; picks and relevant split their liked items', () => {
  const split = splitNewUsers(ratings, { fraction: 0.1, threshold: 4, picks: 5, seed: 3 });
  assert.equal(split.heldOutUsers.length, 6);
  const heldIds = new Set(Array.from(split.heldOutUsers, (u) => ratings.userIds[u]));
  assert.equal(split.train.userIds.length, 54);
  for (const id of split.train.userIds) assert.ok(!heldIds.has(id), `held-out user ${id} is in training`);
  let heldNnz = 0;
  for (const u of split.heldOutUsers) heldNnz += ratings.byUser.indptr[u + 1] - ratings.byUser.indptr[u];
  assert.equal(split.train.byUser.indptr[54] + heldNnz, ratings.byUser.indptr[60]);
  // Each kept user's training row is exactly their full row.
  for (let row = 0; row < 54; row++) {
    const u = ratings.userIds.indexOf(split.train.userIds[row]);
    assert.deepEqual(rowEntries(split.train.byUser, row), rowEntries(ratings.byUser, u));
  }
  for (const u of split.heldOutUsers) {
    const liked = rowEntries(ratings.byUser, u).filter((e) => Number(e.split(':')[1]) >= 4).map((e) => Number(e.split(':')[0]));
    const c = split.cases.find((x) => x.user === u);
    if (liked.length < 6) {
      assert.equal(c, undefined, `user ${u} with ${liked.length} liked is not evaluated`);
      continue;
    }
    assert.ok(c !== undefined);
    assert.equal(c.picks.length, 5);
    assert.equal(new Set(c.picks).size, 5);
    assert.deepEqual([...c.picks, ...c.relevant].sort((a, b) => a - b), liked.sort((a, b) => a - b));
  }
  assert.ok(split.cases.length > 0);
});

test('protocol B split: deterministic for a seed', () => {
  const a = splitNewUsers(ratings, { fraction: 0.1, threshold: 4, picks: 5, seed: 3 });
  const b = splitNewUsers(ratings, { fraction: 0.1, threshold: 4, picks: 5, seed: 3 });
  const c = splitNewUsers(ratings, { fraction: 0.1, threshold: 4, picks: 5, seed: 4 });
  assert.deepEqual(a.heldOutUsers, b.heldOutUsers);
  assert.deepEqual(a.cases, b.cases);
  assert.notDeepEqual(a.heldOutUsers, c.heldOutUsers);
});

test('user folds: a seeded partition, every user held out exactly once, sizes differ by at most one', () => {
  for (const [users, folds] of [[60, 3], [61, 10], [7, 7], [10, 2]]) {
    const groups = userFolds(users, folds, 5);
    assert.equal(groups.length, folds);
    const seen = new Uint8Array(users);
    for (const group of groups) {
      assert.ok(group.length === Math.floor(users / folds) || group.length === Math.ceil(users / folds), `${users}/${folds}: ${group.length}`);
      for (let n = 1; n < group.length; n++) assert.ok(group[n - 1] < group[n], 'ascending');
      for (const u of group) seen[u]++;
    }
    assert.deepEqual(Array.from(seen), new Array(users).fill(1), `${users} users in ${folds} folds: each exactly once`);
  }
  assert.deepEqual(userFolds(60, 3, 5), userFolds(60, 3, 5));
  assert.notDeepEqual(userFolds(60, 3, 5), userFolds(60, 3, 6));
  assert.throws(() => userFolds(60, 1, 5), /folds must be an integer from 2 to the number of users \(60\), got 1/);
  assert.throws(() => userFolds(60, 61, 5), /folds must be/);
});

test('protocol B folds: each fold trains on everyone else; picks and relevant as in the single split; deterministic', () => {
  const options = { folds: 3, threshold: 4, picks: 5, seed: 3 };
  const folds = Array.from(splitNewUserFolds(ratings, options));
  assert.equal(folds.length, 3);
  assert.deepEqual(folds.map((f) => f.heldOutUsers), userFolds(60, 3, 3), 'the same partition as userFolds for the seed');
  const heldOnce = new Uint8Array(60);
  for (const fold of folds) {
    for (const u of fold.heldOutUsers) heldOnce[u]++;
    const heldIds = new Set(Array.from(fold.heldOutUsers, (u) => ratings.userIds[u]));
    assert.equal(fold.train.userIds.length + fold.heldOutUsers.length, 60);
    for (const id of fold.train.userIds) assert.ok(!heldIds.has(id), `held-out user ${id} is in training`);
    assert.deepEqual(fold.train.itemIds, ratings.itemIds, 'the full item order');
    for (const c of fold.cases) {
      assert.ok(fold.heldOutUsers.includes(c.user));
      const liked = rowEntries(ratings.byUser, c.user).filter((e) => Number(e.split(':')[1]) >= 4).map((e) => Number(e.split(':')[0]));
      assert.equal(c.picks.length, 5);
      assert.deepEqual([...c.picks, ...c.relevant].sort((a, b) => a - b), liked.sort((a, b) => a - b));
    }
  }
  assert.deepEqual(Array.from(heldOnce), new Array(60).fill(1), 'every user held out in exactly one fold');
  assert.ok(folds.reduce((n, f) => n + f.cases.length, 0) > 20);
  const again = Array.from(splitNewUserFolds(ratings, options));
  assert.deepEqual(again.map((f) => [f.heldOutUsers, f.cases]), folds.map((f) => [f.heldOutUsers, f.cases]));
  const other = Array.from(splitNewUserFolds(ratings, { ...options, seed: 4 }));
  assert.notDeepEqual(other.map((f) => f.heldOutUsers), folds.map((f) => f.heldOutUsers));
});

test('bad fractions are refused', () => {
  assert.throws(() => splitKnownUsers(ratings, { fraction: 1, threshold: 4, seed: 1 }), /fraction must be in \(0, 1\)/);
  assert.throws(() => splitNewUsers(ratings, { fraction: 0, threshold: 4, picks: 5, seed: 1 }), /fraction/);
});
