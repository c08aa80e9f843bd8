import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Catalog, movieCard, ratingCounts } from '../../src/catalog/catalog.js';
import { loadDataset } from '../../src/catalog/dataset.js';
import { movielensDir } from '../support/movielens.js';

test('the catalog of ml-latest-small: movies by id, popularity as ratings per movie, search', async () => {
  const { movies, ratings } = await loadDataset(movielensDir());
  const catalog = new Catalog([...movies].reverse(), ratingCounts(ratings));
  assert.equal(catalog.size, 9742);
  assert.equal(catalog.movies[0].id, 1, 'listed by ascending id');
  assert.equal(catalog.get(2571)?.title, 'The Matrix');
  assert.equal(catalog.has(2), true);
  assert.equal(catalog.has(3), true);
  assert.equal(catalog.has(999_999), false);
  assert.equal(catalog.get(999_999), undefined);
  assert.equal(catalog.popularity(356), 329);
  assert.equal(catalog.popularity(999_999), 0);
  assert.equal(catalog.movies.filter((movie) => catalog.popularity(movie.id) === 0).length, 9742 - 9724);
  assert.equal(catalog.search('toy story')[0].id, 1);
});

test('movie cards link to IMDb and TMDB, or null without an id', async () => {
  const catalog = new Catalog((await loadDataset(movielensDir())).movies);
  assert.deepEqual(movieCard(catalog.get(1)!), {
    id: 1, title: 'Toy Story', subtitle: null, year: 1995, genres: ['Adventure', 'Animation', 'Children', 'Comedy', 'Fantasy'],
    imdbUrl: 'https://www.imdb.com/title/tt0114709/', tmdbUrl: 'https://www.themoviedb.org/movie/862',
  });
  assert.equal(movieCard(catalog.get(791)!).tmdbUrl, null);
  assert.equal(movieCard(catalog.get(4973)!).subtitle, "Le Fabuleux destin d'Amélie Poulain");
  assert.equal(movieCard(catalog.get(293)!).subtitle, 'The Professional · Léon');
  assert.equal(movieCard({ ...catalog.get(1)!, imdbId: null }).imdbUrl, null);
});
