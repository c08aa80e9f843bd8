import { test } from 'node:test';
import assert from 'node:assert/strict';
import { editDistanceWithin } from '../../src/catalog/edit-distance.js';
import { createFuzzyWords, typoAllowance } from '../../src/catalog/fuzzy-words.js';

test('editDistanceWithin: insertions, deletions, substitutions and neighbour swaps cost 1; beyond max it says max + 1', () => {
  assert.equal(editDistanceWithin('godfater', 'godfather', 2), 1);
  assert.equal(editDistanceWithin('shawshenk', 'shawshank', 2), 1);
  assert.equal(editDistanceWithin('gohst', 'ghost', 1), 1, 'a swap is one edit');
  assert.equal(editDistanceWithin('ca', 'abc', 3), 3, 'restricted: a swapped pair is not edited again');
  assert.equal(editDistanceWithin('matrix', 'matrix', 1), 0);
  assert.equal(editDistanceWithin('kitten', 'sitting', 3), 3);
  assert.equal(editDistanceWithin('kitten', 'sitting', 2), 3);
  assert.equal(editDistanceWithin('heat', 'heathers', 2), 3, 'lengths too far apart');
  assert.equal(editDistanceWithin('', 'ab', 2), 2);
  assert.equal(editDistanceWithin('a'.repeat(80), 'a'.repeat(79) + 'b', 1), 1, 'long words grow the rows');
});

test('typoAllowance: none under 4 letters or in numbers, 1 up to 7 letters, 2 from 8', () => {
  assert.deepEqual(['toy', 'heat', 'amelie', 'godfathr', '19955'].map(typoAllowance), [0, 1, 1, 2, 0]);
});

test('near: the vocabulary words within the allowance, not the word itself', () => {
  const vocabulary = ['ghost', 'godfather', 'godfathers', 'heart', 'heat', 'host', 'shawshank', '1995', '1996'];
  const fuzzy = createFuzzyWords(vocabulary);
  const near = (word: string) => fuzzy.near(word).map((id) => vocabulary[id]).sort();
  assert.deepEqual(near('godfater'), ['godfather', 'godfathers']);
  assert.deepEqual(near('gohst'), ['ghost']);
  assert.deepEqual(near('heat'), ['heart']);
  assert.deepEqual(near('shawshenk'), ['shawshank']);
  assert.deepEqual(near('hst'), [], 'too short for typos');
  assert.deepEqual(near('1997'), [], 'numbers have no typos');
  assert.deepEqual(near('zzzz'), []);
});
