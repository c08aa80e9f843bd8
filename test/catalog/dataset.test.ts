import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { detectDatasetFormat, loadDataset, loadMovies } from '../../src/catalog/dataset.js';
import { movielensDir } from '../support/movielens.js';
import { fileLinePattern, tempFolder } from './temp-files.js';

test('loadDataset reads ml-latest-small: its movies, ratings and format', async () => {
  const dataset = await loadDataset(movielensDir());
  assert.equal(dataset.format, 'ml-latest');
  assert.equal(dataset.movies.length, 9742);
  assert.equal(dataset.ratings.userIds.length, 610);
  assert.equal(dataset.ratings.itemIds.length, 9724);
  assert.equal(dataset.ratings.byUser.indptr[610], 100836);
  assert.deepEqual(await loadMovies(movielensDir()), dataset.movies);
});

test('an ml-1m folder (Latin-1 movies.dat, ratings.dat) is detected and loaded', async () => {
  const dir = tempFolder({
    'movies.dat': Buffer.from('1::Toy Story (1995)::Animation|Children\'s|Comedy\n2::Cité des enfants perdus, La (1995)::Sci-Fi\n', 'latin1'),
    'ratings.dat': '1::1::5::978300760\n1::2::3::978302109\n7::2::4::978300000\n',
    'users.dat': '1::F::1::10::48067\n',
  });
  assert.equal(detectDatasetFormat(dir), 'ml-1m');
  const dataset = await loadDataset(dir);
  assert.equal(dataset.format, 'ml-1m');
  assert.equal(dataset.movies[1].title, 'La Cité des enfants perdus');
  assert.deepEqual(Array.from(dataset.ratings.userIds), [1, 7]);
  assert.deepEqual(Array.from(dataset.ratings.byItem.values), [5, 3, 4]);
});

test('an ml-100k folder (u.data, u.item) is detected and loaded', async () => {
  const flags = (genre: number) => Array.from({ length: 19 }, (_, g) => (g === genre ? '1' : '0')).join('|');
  const dir = tempFolder({
    'u.item': `1|Toy Story (1995)|01-Jan-1995||url|${flags(3)}\n2|GoldenEye (1995)|01-Jan-1995||url|${flags(1)}\n`,
    'u.data': '196\t2\t3\t881250949\n186\t1\t3\t891717742\n',
  });
  const dataset = await loadDataset(dir);
  assert.equal(dataset.format, 'ml-100k');
  assert.deepEqual(dataset.movies.map((movie) => [movie.title, movie.genres]), [['Toy Story', ['Animation']], ['GoldenEye', ['Action']]]);
  assert.deepEqual(Array.from(dataset.ratings.userIds), [186, 196]);
});

test('a folder with no dataset, or movies without ratings, is a clear error', async () => {
  const empty = tempFolder({ 'README.txt': 'nothing here' });
  assert.throws(() => detectDatasetFormat(empty), { message: /no MovieLens dataset found; expected movies\.csv \+ ratings\.csv \(ml-latest\)/ });
  await assert.rejects(loadMovies(empty), { message: /no MovieLens dataset found/ });
  const moviesOnly = tempFolder({ 'movies.csv': 'movieId,title,genres\n1,A,Drama\n' });
  await assert.rejects(loadDataset(moviesOnly), { message: /movies\.csv is there but ratings\.csv is missing/ });
  assert.equal((await loadMovies(moviesOnly)).length, 1, 'the catalog alone still loads');
});

test('loadDataset refuses a rating of a movie missing from movies.csv, naming the line', async () => {
  const dir = tempFolder({
    'movies.csv': 'movieId,title,genres\r\n1,A (1990),Drama\r\n',
    'ratings.csv': 'userId,movieId,rating,timestamp\r\n1,1,4.0,1\r\n1,2,4.0,1\r\n',
  });
  await assert.rejects(loadDataset(dir), { message: fileLinePattern(join(dir, 'ratings.csv'), 3, /movieId 2 is not in the movie catalog/) });
});
