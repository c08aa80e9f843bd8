import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { ratingCounts } from '../../src/catalog/catalog.js';
import { loadMoviesCsv } from '../../src/catalog/movies.js';
import { loadRatings } from '../../src/catalog/ratings.js';
import { createTitleIndex, type TitleIndex } from '../../src/catalog/search.js';
import type { Movie } from '../../src/catalog/types.js';
import { movielensDir } from '../support/movielens.js';

let index: TitleIndex;
const ids = (query: string, limit = 10) => index.search(query, limit).map((movie) => movie.id);

before(async () => {
  const dir = movielensDir();
  const movies = await loadMoviesCsv(join(dir, 'movies.csv'), join(dir, 'links.csv'));
  index = createTitleIndex(movies, ratingCounts(await loadRatings(join(dir, 'ratings.csv'))));
});

test('"toy story" finds Toy Story first, then its sequels; case does not matter', () => {
  assert.deepEqual(ids('toy story'), [1, 3114, 78499]);
  assert.deepEqual(ids('TOY Story'), [1, 3114, 78499]);
  assert.deepEqual(ids('story toy'), [1, 3114, 78499], 'word order is free');
  assert.deepEqual(ids('toy sto'), [1, 3114, 78499], 'the last word may be unfinished');
});

/** What people type, and the movie they mean: typos, accents, sequels, articles left out, alternative titles. */
const FIRST_HITS: [query: string, id: number, title: string][] = [
  ['godfater', 858, 'The Godfather'],
  ['the godfater', 858, 'The Godfather'],
  ['shawshenk', 318, 'The Shawshank Redemption'],
  ['shawshank redemtion', 318, 'The Shawshank Redemption'],
  ['forest gump', 356, 'Forrest Gump'],
  ['pulp fiktion', 296, 'Pulp Fiction'],
  ['jurasic park', 480, 'Jurassic Park'],
  ['hary poter', 4896, "Harry Potter and the Sorcerer's Stone"],
  ['lord of the rngs', 4993, 'The Lord of the Rings: The Fellowship of the Ring'],
  ['amelie', 4973, 'Amelie'],
  ['amélie poulain', 4973, 'Amelie'],
  ['LEON', 293, 'Léon: The Professional'],
  ['vita è bella', 2324, 'Life Is Beautiful'],
  ['lord of the rings', 4993, 'The Lord of the Rings: The Fellowship of the Ring'],
  ['avengers', 89745, 'The Avengers'],
  ['matrix', 2571, 'The Matrix'],
  ['terminator 2', 589, 'Terminator 2: Judgment Day'],
  ['toy story 3', 78499, 'Toy Story 3'],
  ['star wars', 260, 'Star Wars: Episode IV - A New Hope'],
  ['empire strikes back', 1196, 'Star Wars: Episode V - The Empire Strikes Back'],
  ['back to the future 2', 2011, 'Back to the Future Part II'],
  ['godfather 2', 1221, 'The Godfather: Part II'],
  ['rocky 3', 2410, 'Rocky III'],
  ['shrek 2', 8360, 'Shrek 2'],
  ['die hard', 1036, 'Die Hard'],
  ['se7en', 47, 'Seven'],
  ['la haine', 97, 'Hate'],
  ['fabuleux destin', 4973, 'Amelie'],
];

test(`${FIRST_HITS.length} real queries with typos, accents, sequels and alternative titles find the movie meant first`, () => {
  const wrong = FIRST_HITS.flatMap(([query, id, title]) => {
    const first = index.search(query, 10)[0];
    return first?.id === id && first.title === title ? [] : [`${query} → ${first ? `${first.id} ${first.title}` : 'nothing'}, not ${id} ${title}`];
  });
  assert.deepEqual(wrong, []);
});

test('a word with a typo is found only below every exact or prefix match', () => {
  const found = index.search('godfater', 10);
  assert.deepEqual(found.slice(0, 3).map((movie) => movie.id), [858, 1221, 2023], 'the Godfathers, most rated first');
  const typing = index.search('godfathe', 10).map((movie) => movie.title);
  assert.ok(typing.every((title) => /godfathe/i.test(title)), `a word being typed is no typo: ${typing.join('; ')}`);
  assert.deepEqual(ids('heat 1995'), [6], 'a title word is taken as typed when it matches');
  assert.deepEqual(ids('tyo'), [], 'words under 4 letters have no typos');
});

test('alternative titles are found, below titles holding the words', () => {
  const indiana = index.search('indiana jones', 10);
  assert.equal(indiana[0].id, 1291, 'Indiana Jones and the Last Crusade holds the words in its title');
  const raiders = indiana.findIndex((movie) => movie.id === 1198);
  assert.deepEqual(indiana[raiders]?.alternativeTitles, ['Indiana Jones and the Raiders of the Lost Ark'], 'Raiders of the Lost Ark by its other name');
  assert.ok(raiders > indiana.findIndex((movie) => movie.id === 59615), 'after the last Indiana Jones title, the least rated');
});

test('a 4-digit year filters on the year: "heat 1995" is Heat (1995) alone', () => {
  assert.deepEqual(ids('heat 1995'), [6]);
  assert.deepEqual(ids('heat (1995)'), [6]);
  assert.equal(ids('heat')[0], 6, 'without the year, the most rated Heat still comes first');
  assert.ok(ids('heat').includes(103372), 'and "The Heat (2013)" is among the results');
});

test('a year still being typed filters too: "heat 19", "heat 199" keep the 1900s, "heat 20" the 2000s', () => {
  for (const query of ['heat 1', 'heat 19', 'heat 199']) {
    const found = ids(query);
    assert.equal(found[0], 6, `${query}: Heat (1995) first`);
    assert.ok(!found.includes(103372), `${query}: The Heat (2013) is not of the 1900s`);
  }
  assert.ok(ids('heat 20').includes(103372));
  assert.ok(!ids('heat 20').includes(6));
  assert.ok(ids('2001').includes(924), 'alone, digits are a title word: 2001: A Space Odyssey');
  const years = index.search('1995', 50).map((movie) => movie.year);
  assert.deepEqual(years, years.map(() => 1995));
});

test('a year-like word also matches a title word: "2001" finds 2001: A Space Odyssey (1968) and movies of 2001', () => {
  const found = index.search('2001', 20);
  assert.equal(found[0].id, 924);
  assert.ok(found.some((movie) => movie.id === 4993 && movie.year === 2001));
});

test('"matrix" finds "The Matrix"; words anywhere in the title, most rated first', () => {
  assert.deepEqual(ids('matrix'), [2571, 6365, 6934]);
  assert.deepEqual(ids('the matrix'), [2571, 6365, 6934]);
  const starWars = index.search('star wars', 20);
  assert.equal(starWars[0].id, 260);
  assert.equal(starWars[0].title, 'Star Wars: Episode IV - A New Hope');
  assert.ok(starWars.every((movie) => /star wars/i.test(movie.title)), starWars.map((movie) => movie.title).join('; '));
});

test('accents and apostrophes are ignored, hyphenated words are found joined', () => {
  for (const query of ['leon', 'Léon', 'LÉON', 'léon the professional']) assert.equal(ids(query)[0], 293, query);
  assert.equal(ids('miserables')[0], 73);
  assert.equal(ids('misérables les 1995')[0], 73);
  assert.deepEqual(ids('amélie'), [4973]);
  assert.deepEqual(ids('schindlers'), [527]);
  assert.deepEqual(ids("schindler's list"), [527]);
  assert.equal(ids('spiderman')[0], 5349);
  assert.equal(ids('spider-man')[0], 5349);
});

test('empty queries and queries matching nothing return nothing; limit is respected', () => {
  assert.deepEqual(ids(''), []);
  assert.deepEqual(ids('  .,;  '), []);
  assert.deepEqual(ids('zzqqxx'), []);
  assert.deepEqual(ids('toy wars'), [], 'every word must match');
  assert.deepEqual(ids('toy story', 0), []);
  assert.equal(ids('s', 3).length, 3);
});

test('one-letter queries (answered from a precomputed list up to 100) agree with a full ranking', () => {
  for (const letter of ['s', 't', 'a', '2']) {
    const long = ids(letter, 150);
    assert.equal(long.length, 150);
    assert.deepEqual(ids(letter, 20), long.slice(0, 20), letter);
    assert.deepEqual(ids(letter, 100), long.slice(0, 100), letter);
  }
});

const movie = (id: number, title: string, year: number | null = null): Movie => ({ id, title, year, genres: [], imdbId: null, tmdbId: null });

test('folding: ß → ss, æ → ae, ligatures and accents', () => {
  const tiny = createTitleIndex([movie(1, 'Die Straße'), movie(2, 'Æon Flux'), movie(3, 'Ǆoković ﬁlm')]);
  for (const query of ['strasse', 'STRASSE', 'straße', 'STRAẞE']) assert.deepEqual(tiny.search(query).map((m) => m.id), [1], query);
  assert.deepEqual(tiny.search('aeon').map((m) => m.id), [2]);
  assert.deepEqual(tiny.search('dzokovic film').map((m) => m.id), [3]);
});

test('ranking: exact title, title prefix (article optional), all words, alternative title, typo; then popularity, then year', () => {
  const movies = [
    movie(1, 'The Lord of the Rings', 1978),
    movie(2, 'The Lord of the Rings: The Fellowship of the Ring', 2001),
    movie(3, 'Rings of the Lord'),
    { ...movie(4, 'The Fellowship'), alternativeTitles: ['Lord of the Rings'] },
    movie(5, 'The Lard of the Rings'),
    movie(6, 'Sequel II', 2002),
    movie(7, 'Sequel', 2001),
    movie(8, 'Sequel', 1999),
  ];
  const tiny = createTitleIndex(movies, new Map([[2, 50], [3, 100], [4, 100], [5, 200]]));
  const order = (query: string) => tiny.search(query).map((m) => m.id);
  assert.deepEqual(order('the lord of the rings'), [1, 2, 3, 4]);
  assert.deepEqual(order('lord of the rings'), [2, 1, 3, 4], 'without the article, "The Lord of the Rings" is a title prefix like the longer title');
  assert.deepEqual(order('lord of the ring'), [2, 1, 3, 4]);
  assert.deepEqual(order('lord of the rings 1978'), [1]);
  assert.deepEqual(order('lurd of the rings'), [5, 3, 4, 2, 1], 'all by typo: popularity, then the older');
  assert.deepEqual(order('sequel'), [8, 7, 6], 'the exact titles, the older first, then the longer title');
  assert.deepEqual(order('sequel 2'), [6, 7], '"II" is the sequel number 2; "Sequel" of 2001 matches by year, of 1999 not at all');
});

test('ranking: exact word beats prefix, a full title beats a longer one, then popularity, then smaller id', () => {
  const movies = [movie(1, 'Heat', 1995), movie(2, 'Heathers'), movie(3, 'Toy Story'), movie(4, 'Toy Story 2'), movie(9, 'Alpha B'), movie(7, 'Alpha C'), movie(8, 'Alpha A'), movie(5, 'Heat', 1972)];
  const popularity = new Map([[1, 5], [2, 100], [3, 1], [4, 100], [5, 1]]);
  const tiny = createTitleIndex(movies, popularity);
  const order = (query: string) => tiny.search(query).map((m) => m.id);
  assert.deepEqual(order('heat'), [1, 5, 2]);
  assert.deepEqual(order('hea'), [2, 1, 5]);
  assert.deepEqual(order('toy story'), [3, 4]);
  assert.deepEqual(order('toy'), [4, 3]);
  assert.deepEqual(order('alpha'), [7, 8, 9]);
  assert.deepEqual(order('heat 1972'), [5]);
  assert.deepEqual(order('1972'), [5]);
});
