import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { loadMoviesDat, loadMoviesItem } from '../../src/catalog/movies-legacy.js';
import { loadMoviesCsv } from '../../src/catalog/movies.js';
import { splitGenres, splitTitleYear } from '../../src/catalog/title.js';
import type { Movie } from '../../src/catalog/types.js';
import { movielensDir } from '../support/movielens.js';
import { fileLinePattern, tempFolder } from './temp-files.js';

const byId = (movies: Movie[], id: number) => movies.find((movie) => movie.id === id);

test('splitTitleYear takes off a trailing year, a year range, and stray spaces', () => {
  assert.deepEqual(splitTitleYear('Heat (1995)'), { title: 'Heat', alternativeTitles: [], year: 1995 });
  assert.deepEqual(splitTitleYear('Runaway Brain (1995) '), { title: 'Runaway Brain', alternativeTitles: [], year: 1995 });
  assert.deepEqual(splitTitleYear('Death Note: Desu nôto (2006–2007)'), { title: 'Death Note: Desu nôto', alternativeTitles: [], year: 2006 });
  assert.deepEqual(splitTitleYear('Babylon 5'), { title: 'Babylon 5', alternativeTitles: [], year: null });
  assert.deepEqual(splitTitleYear('Léon (a.k.a. The Professional) (1994)'), { title: 'Léon', alternativeTitles: ['The Professional'], year: 1994 });
  assert.deepEqual(splitTitleYear('(2019)'), { title: '(2019)', alternativeTitles: [], year: null });
  assert.deepEqual(splitGenres('(no genres listed)'), []);
  assert.deepEqual(splitGenres('Action|Crime'), ['Action', 'Crime']);
});

test('ml-latest-small movies.csv + links.csv: 9,742 movies with titles, years, genres and links', async () => {
  const dir = movielensDir();
  const movies = await loadMoviesCsv(join(dir, 'movies.csv'), join(dir, 'links.csv'));
  assert.equal(movies.length, 9742);
  assert.ok(movies.every((movie, k) => k === 0 || movies[k - 1].id < movie.id), 'sorted by id');
  assert.deepEqual(byId(movies, 1), {
    id: 1, title: 'Toy Story', alternativeTitles: [], year: 1995, genres: ['Adventure', 'Animation', 'Children', 'Comedy', 'Fantasy'], imdbId: '0114709', tmdbId: 862,
  });
  assert.deepEqual(byId(movies, 11), {
    id: 11, title: 'The American President', alternativeTitles: [], year: 1995, genres: ['Comedy', 'Drama', 'Romance'], imdbId: '0112346', tmdbId: 9087,
  });
  assert.equal(byId(movies, 73)?.title, 'Les Misérables');
  assert.equal(byId(movies, 4973)?.title, 'Amelie');
  assert.deepEqual(byId(movies, 4973)?.alternativeTitles, ["Le Fabuleux destin d'Amélie Poulain"]);
  assert.equal(byId(movies, 293)?.title, 'Léon: The Professional');
  assert.ok(movies.every((movie) => !/\(a\.k\.a\./.test(movie.title)), 'no "(a.k.a. …)" is left in a title');
  assert.deepEqual(byId(movies, 143410), { id: 143410, title: 'Hyena Road', alternativeTitles: [], year: null, genres: [], imdbId: '4034452', tmdbId: 316042 });
  assert.equal(byId(movies, 27008)?.title, 'From Dusk Till Dawn 2: Texas Blood Money');
  assert.equal(byId(movies, 791)?.tmdbId, null);
  assert.equal(movies.filter((movie) => movie.tmdbId === null).length, 8);
  assert.ok(movies.every((movie) => movie.imdbId !== null && /^\d{7,}$/.test(movie.imdbId)));
});

test('without links.csv the links are null', async () => {
  const dir = tempFolder({ 'movies.csv': 'movieId,title,genres\n5,Heat (1995),Action\n' });
  assert.deepEqual(await loadMoviesCsv(join(dir, 'movies.csv'), join(dir, 'links.csv')), [
    { id: 5, title: 'Heat', alternativeTitles: [], year: 1995, genres: ['Action'], imdbId: null, tmdbId: null },
  ]);
});

test('bad movies.csv and links.csv lines are errors naming file and line', async () => {
  const header = 'movieId,title,genres\n';
  const cases: [Record<string, string>, string, number, RegExp][] = [
    [{ 'movies.csv': `${header}1,A (1990),Drama\n1,B (1991),Drama\n` }, 'movies.csv', 3, /movieId 1 appears twice/],
    [{ 'movies.csv': `${header}x,A (1990),Drama\n` }, 'movies.csv', 2, /movieId must be a non-negative integer, found "x"/],
    [{ 'movies.csv': `${header}1,A, (1990),Drama\n` }, 'movies.csv', 2, /expected 3 fields/],
    [{ 'movies.csv': `${header}1,A,Drama\n`, 'links.csv': 'movieId,imdbId,tmdbId\n1,0114709,862\n2,0113497,8844\n' }, 'links.csv', 3, /movieId 2 is not in/],
    [{ 'movies.csv': `${header}1,A,Drama\n`, 'links.csv': 'movieId,imdbId,tmdbId\n1,abc,862\n' }, 'links.csv', 2, /imdbId must be digits/],
    [{ 'movies.csv': `${header}1,A,Drama\n`, 'links.csv': 'movieId,imdbId,tmdbId\n1,0114709,8.5\n' }, 'links.csv', 2, /tmdbId must be a non-negative integer/],
  ];
  for (const [files, bad, line, pattern] of cases) {
    const dir = tempFolder(files);
    await assert.rejects(loadMoviesCsv(join(dir, 'movies.csv'), join(dir, 'links.csv')), { message: fileLinePattern(join(dir, bad), line, pattern) });
  }
});

test('ml-1m movies.dat is read as Latin-1', async () => {
  const dat = '2::Jumanji (1995)::Adventure|Children\'s|Fantasy\n1::Misérables, Les (1995)::Drama|Musical\n3::Ça (2000)::(no genres listed)';
  const dir = tempFolder({ 'movies.dat': Buffer.from(dat, 'latin1') });
  assert.deepEqual(await loadMoviesDat(join(dir, 'movies.dat')), [
    { id: 1, title: 'Les Misérables', alternativeTitles: [], year: 1995, genres: ['Drama', 'Musical'], imdbId: null, tmdbId: null },
    { id: 2, title: 'Jumanji', alternativeTitles: [], year: 1995, genres: ['Adventure', "Children's", 'Fantasy'], imdbId: null, tmdbId: null },
    { id: 3, title: 'Ça', alternativeTitles: [], year: 2000, genres: [], imdbId: null, tmdbId: null },
  ]);
  const bad = tempFolder({ 'movies.dat': '1::A (1990)::Drama\r\n2::B (1990)\r\n' });
  await assert.rejects(loadMoviesDat(join(bad, 'movies.dat')), { message: fileLinePattern(join(bad, 'movies.dat'), 2, /expected 3 fields/) });
});

test('ml-100k u.item: genre flags named by u.genre or the fixed list, Latin-1 titles, year from the release date when the title lacks one', async () => {
  const flags = (on: number[]) => Array.from({ length: 19 }, (_, g) => (on.includes(g) ? '1' : '0')).join('|');
  const item = [
    `1|Toy Story (1995)|01-Jan-1995||http://us.imdb.com/M/title-exact?Toy%20Story%20(1995)|${flags([3, 4, 5])}`,
    `267|unknown||||${flags([0])}`,
    `1300|Cité des enfants perdus, La|01-Jan-1995||x|${flags([8, 15])}`,
  ].join('\n');
  const genre = ['unknown', 'Action', 'Adventure', 'Animation', "Children's", 'Comedy', 'Crime', 'Documentary', 'Drama', 'Fantasy',
    'Film-Noir', 'Horror', 'Musical', 'Mystery', 'Romance', 'Sci-Fi', 'Thriller', 'War', 'Western'].map((name, g) => `${name}|${g}`).join('\n');
  const withGenreFile = tempFolder({ 'u.item': Buffer.from(item, 'latin1'), 'u.genre': `${genre}\n\n` });
  const withoutGenreFile = tempFolder({ 'u.item': Buffer.from(item, 'latin1') });
  const expected: Movie[] = [
    { id: 1, title: 'Toy Story', alternativeTitles: [], year: 1995, genres: ['Animation', "Children's", 'Comedy'], imdbId: null, tmdbId: null },
    { id: 267, title: 'unknown', alternativeTitles: [], year: null, genres: [], imdbId: null, tmdbId: null },
    { id: 1300, title: 'La Cité des enfants perdus', alternativeTitles: [], year: 1995, genres: ['Drama', 'Sci-Fi'], imdbId: null, tmdbId: null },
  ];
  assert.deepEqual(await loadMoviesItem(join(withGenreFile, 'u.item'), join(withGenreFile, 'u.genre')), expected);
  assert.deepEqual(await loadMoviesItem(join(withoutGenreFile, 'u.item'), join(withoutGenreFile, 'u.genre')), expected);
  const bad = tempFolder({ 'u.item': `${item}\n2|Short|line\n` });
  await assert.rejects(loadMoviesItem(join(bad, 'u.item')), { message: fileLinePattern(join(bad, 'u.item'), 4, /expected 24 fields/) });
});

test('titles read as people say them: a trailing article moves to the front, before any a.k.a. part', async () => {
  const { naturalTitle } = await import('../../src/catalog/title.js');
  assert.equal(naturalTitle('Matrix, The'), 'The Matrix');
  assert.equal(naturalTitle("Bug's Life, A"), "A Bug's Life");
  assert.equal(naturalTitle('Good, the Bad and the Ugly, The'), 'The Good, the Bad and the Ugly');
  assert.equal(naturalTitle("Avventura, L'"), "L'Avventura");
  assert.equal(naturalTitle('Castle, The (Linna)'), 'The Castle (Linna)');
  assert.equal(naturalTitle('Léon: The Professional (a.k.a. Le professionnel) (Léon)'), 'Léon: The Professional (a.k.a. Le professionnel) (Léon)');
  assert.equal(naturalTitle('Toy Story'), 'Toy Story');
});
