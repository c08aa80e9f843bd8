import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadTagsCsv } from '../../src/catalog/tags.js';
import { loadMovieLens } from '../support/small-model.js';

test('tags.csv: most frequent first, told apart case-insensitively, spelt as first seen, blank tags skipped', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mh-tags-'));
  const path = join(dir, 'tags.csv');
  writeFileSync(
    path,
    [
      'userId,movieId,tag,timestamp',
      '1,7,funny,1',
      '2,7,Pixar,2',
      '3,7,pixar,3',
      '4,7,"  PIXAR ",4',
      '5,7,Funny,5',
      '6,7,dark,6',
      '7,7,,7',
      '8,9,"great  soundtrack",8',
    ].join('\n'),
  );
  const tags = await loadTagsCsv(path);
  assert.deepEqual(tags.get(7), ['Pixar', 'funny', 'dark']);
  assert.deepEqual(tags.get(9), ['great soundtrack']);
  assert.deepEqual((await loadTagsCsv(path, 1)).get(7), ['Pixar']);
  assert.equal((await loadTagsCsv(join(dir, 'missing.csv'))).size, 0, 'no tags.csv: no tags');
});

test('the catalog of ml-latest-small carries its tags and average ratings', async () => {
  const { catalog } = await loadMovieLens();
  assert.equal(catalog.get(1)?.tags?.[0], 'pixar');
  assert.ok(catalog.get(1)!.tags!.length <= 10);
  assert.ok(Math.abs(catalog.averageRating(1)! - 3.92093) < 1e-4);
  assert.equal(catalog.popularity(1), 215);
});
