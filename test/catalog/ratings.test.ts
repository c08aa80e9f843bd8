import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { densifyIds } from '../../src/catalog/dense-ids.js';
import { loadRatings } from '../../src/catalog/ratings.js';
import type { RatingsMatrix } from '../../src/catalog/types.js';
import { transposeCsr } from '../../src/matrix/sparse.js';
import { movielensDir } from '../support/movielens.js';
import { tempFile } from './temp-files.js';

/** The matrix as sorted "userId,movieId,rating" strings: what a loader must agree on, whatever the format. */
function triples(m: RatingsMatrix): string[] {
  const out: string[] = [];
  for (let u = 0; u < m.byUser.rows; u++) {
    for (let n = m.byUser.indptr[u]; n < m.byUser.indptr[u + 1]; n++) {
      out.push(`${m.userIds[u]},${m.itemIds[m.byUser.indices[n]]},${m.byUser.values[n]}`);
    }
  }
  return out.sort();
}

function rating(m: RatingsMatrix, userId: number, movieId: number): number | undefined {
  const u = m.userIds.indexOf(userId);
  const i = m.itemIds.indexOf(movieId);
  for (let n = m.byUser.indptr[u]; n < m.byUser.indptr[u + 1]; n++) if (m.byUser.indices[n] === i) return m.byUser.values[n];
  return undefined;
}

const isAscending = (ids: Int32Array) => ids.every((id, k) => k === 0 || ids[k - 1] < id);

test('ml-latest-small ratings.csv: 610 users, 9,724 movies, 100,836 ratings, every rating as in the file', async () => {
  const path = join(movielensDir(), 'ratings.csv');
  const m = await loadRatings(path);
  assert.equal(m.userIds.length, 610);
  assert.equal(m.itemIds.length, 9724);
  assert.equal(m.byUser.indptr[m.byUser.rows], 100836);
  assert.equal(m.byItem.indptr[m.byItem.rows], 100836);
  assert.deepEqual(Array.from(m.userIds), Array.from({ length: 610 }, (_, k) => k + 1));
  assert.ok(isAscending(m.itemIds), 'item ids ascending');
  assert.equal(rating(m, 1, 1), 4); // line 2: 1,1,4.0,964982703
  assert.equal(rating(m, 610, 170875), 3); // last line: 610,170875,3.0,1493846415
  assert.equal(rating(m, 1, 2), undefined);
  // An independent, naive reading of the same file agrees entry by entry.
  const naive = readFileSync(path, 'utf8').trim().split('\r\n').slice(1).map((line) => {
    const [user, movie, value] = line.split(',');
    return `${user},${movie},${Number(value)}`;
  });
  assert.deepEqual(triples(m), naive.sort());
});

test('byItem is the transpose of byUser, with the same entries', async () => {
  const m = await loadRatings(join(movielensDir(), 'ratings.csv'));
  assert.equal(m.byUser.rows, 610);
  assert.equal(m.byUser.cols, 9724);
  assert.equal(m.byItem.rows, 9724);
  assert.equal(m.byItem.cols, 610);
  const back = transposeCsr(m.byItem);
  assert.deepEqual(back.indptr, m.byUser.indptr);
  assert.deepEqual(back.indices, m.byUser.indices);
  assert.deepEqual(back.values, m.byUser.values);
  const forrestGump = m.itemIds.indexOf(356);
  assert.equal(m.byItem.indptr[forrestGump + 1] - m.byItem.indptr[forrestGump], 329, 'Forrest Gump, the most rated movie');
});

test('CRLF and LF, a BOM, a missing final newline and blank lines load the same matrix', async () => {
  const lf = 'userId,movieId,rating,timestamp\n10,5,4.0,1\n2,7,0.5,2\n\n10,3,5,3\n2,5,3.5,4\n';
  const expected = triples(await loadRatings(tempFile('ratings.csv', lf)));
  assert.deepEqual(expected, ['10,3,5', '10,5,4', '2,5,3.5', '2,7,0.5']);
  for (const variant of [lf.replaceAll('\n', '\r\n'), `\ufeff${lf}`, lf.trimEnd(), lf.replaceAll('\n', '\r\n').trimEnd()]) {
    assert.deepEqual(triples(await loadRatings(tempFile('ratings.csv', variant))), expected);
  }
});

test('dense indices follow ascending ids whatever the file order', async () => {
  const m = await loadRatings(tempFile('ratings.csv', 'userId,movieId,rating,timestamp\n10,50,4,1\n2,70,1,2\n10,30,5,3\n7,50,2,4\n'));
  assert.deepEqual(Array.from(m.userIds), [2, 7, 10]);
  assert.deepEqual(Array.from(m.itemIds), [30, 50, 70]);
  assert.deepEqual(Array.from(m.byUser.indptr), [0, 1, 2, 4]);
  assert.deepEqual(Array.from(m.byUser.indices), [2, 1, 0, 1]);
  assert.deepEqual(Array.from(m.byUser.values), [1, 2, 5, 4]);
  assert.deepEqual(Array.from(m.byItem.indptr), [0, 1, 3, 4]);
  assert.deepEqual(Array.from(m.byItem.indices), [2, 1, 2, 0]);
});

test('a header without timestamps is accepted', async () => {
  const m = await loadRatings(tempFile('ratings.csv', 'userId,movieId,rating\n1,2,3.5\n'));
  assert.deepEqual(triples(m), ['1,2,3.5']);
});

test('ml-1m ratings.dat and ml-100k u.data round trip to the same matrix as ratings.csv', async () => {
  const rows = [[1, 1193, 5, 978300760], [1, 661, 3, 978302109], [2, 1357, 5, 978298709], [6040, 1, 4, 956703932]];
  const csv = await loadRatings(tempFile('ratings.csv', `userId,movieId,rating,timestamp\n${rows.map((r) => r.join(',')).join('\n')}\n`));
  const dat = await loadRatings(tempFile('ratings.dat', `${rows.map((r) => r.join('::')).join('\r\n')}\r\n`));
  const data = await loadRatings(tempFile('u.data', rows.map((r) => r.join('\t')).join('\n')));
  assert.deepEqual(triples(csv), ['1,1193,5', '1,661,3', '2,1357,5', '6040,1,4']);
  assert.deepEqual(triples(dat), triples(csv));
  assert.deepEqual(triples(data), triples(csv));
  assert.deepEqual(dat.userIds, csv.userIds);
  assert.deepEqual(data.byItem, csv.byItem);
});

test('a file larger than one read chunk loads whole (lines cut across chunk boundaries)', async () => {
  const lines = ['userId,movieId,rating,timestamp'];
  for (let u = 1; u <= 3000; u++) for (let i = 1; i <= 120; i++) lines.push(`${u},${i * 7},${((u + i) % 10) / 2 + 0.5},1234567890`);
  const m = await loadRatings(tempFile('ratings.csv', lines.join('\r\n')));
  assert.equal(m.byUser.indptr[m.byUser.rows], 360000);
  assert.equal(rating(m, 3000, 840), ((3000 + 120) % 10) / 2 + 0.5);
  assert.equal(rating(m, 1234, 7 * 77), ((1234 + 77) % 10) / 2 + 0.5);
});

test('densifyIds maps ids to ascending dense indices, with a lookup table or (for huge sparse ids) a Map', () => {
  const small = new Int32Array([40, 3, 40, 17, 0]);
  assert.deepEqual(Array.from(densifyIds(small, 5)), [0, 3, 17, 40]);
  assert.deepEqual(Array.from(small), [3, 1, 3, 2, 0]);
  const huge = new Int32Array([2_000_000_000, 5, 2_000_000_000, 7, 99]);
  assert.deepEqual(Array.from(densifyIds(huge, 4)), [5, 7, 2_000_000_000]);
  assert.deepEqual(Array.from(huge), [2, 0, 2, 1, 99], 'only the first count entries change');
});
