import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cleanTitle, splitTitleYear } from '../../src/catalog/title.js';

test('cleanTitle: the a.k.a. and original-language parts become alternative titles, articles in front', () => {
  const cases: [raw: string, title: string, alternatives: string[]][] = [
    ["Amelie (Fabuleux destin d'Amélie Poulain, Le)", 'Amelie', ["Le Fabuleux destin d'Amélie Poulain"]],
    ['Léon: The Professional (a.k.a. The Professional) (Léon)', 'Léon: The Professional', ['The Professional', 'Léon']],
    ['Seven (a.k.a. Se7en)', 'Seven', ['Se7en']],
    ['City of Lost Children, The (Cité des enfants perdus, La)', 'The City of Lost Children', ['La Cité des enfants perdus']],
    ['Hate (Haine, La)', 'Hate', ['La Haine']],
    ['Avventura, L\' (Adventure, The)', "L'Avventura", ['The Adventure']],
    ['Supercop (Police Story 3: Supercop) (Jing cha gu shi III: Chao ji jing cha)', 'Supercop', ['Police Story 3: Supercop', 'Jing cha gu shi III: Chao ji jing cha']],
    ['Matrix, The', 'The Matrix', []],
    ['Toy Story', 'Toy Story', []],
  ];
  for (const [raw, title, alternativeTitles] of cases) assert.deepEqual(cleanTitle(raw), { title, alternativeTitles }, raw);
});

test('cleanTitle keeps parentheses that belong to the title', () => {
  assert.deepEqual(cleanTitle('(500) Days of Summer'), { title: '(500) Days of Summer', alternativeTitles: [] });
  assert.deepEqual(cleanTitle('Frontière(s)'), { title: 'Frontière(s)', alternativeTitles: [] });
  assert.deepEqual(cleanTitle('Birdman: Or (The Unexpected Virtue of Ignorance)'), { title: 'Birdman: Or (The Unexpected Virtue of Ignorance)', alternativeTitles: [] });
  assert.deepEqual(cleanTitle('Evangelion: 3.0 You Can (Not) Redo'), { title: 'Evangelion: 3.0 You Can (Not) Redo', alternativeTitles: [] });
  assert.deepEqual(cleanTitle('(2019)'), { title: '(2019)', alternativeTitles: [] }, 'nothing left for a title: the parentheses stay');
  assert.deepEqual(cleanTitle('Déjà Vu (Déjà Vu)'), { title: 'Déjà Vu', alternativeTitles: [] }, 'a repeat of the title is no other name');
});

test('splitTitleYear cleans the title before the year', () => {
  assert.deepEqual(splitTitleYear('Léon (a.k.a. The Professional) (1994)'), { title: 'Léon', alternativeTitles: ['The Professional'], year: 1994 });
  assert.deepEqual(splitTitleYear('Lord of the Rings, The (1978)'), { title: 'The Lord of the Rings', alternativeTitles: [], year: 1978 });
});
