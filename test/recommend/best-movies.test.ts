import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import type { Movie, RatingsMatrix } from '../../src/catalog/types.js';
import { loadDataset } from '../../src/catalog/dataset.js';
import { fitBaseline } from '../../src/recommend/baseline.js';
import { bestMovies, type RankedMovie } from '../../src/recommend/best-movies.js';
import { ratingsFromTriples } from '../../src/recommend/evaluation/ratings-matrix.js';
import { movielensDir } from '../support/movielens.js';

let ratings: RatingsMatrix;
let movies: Movie[];
before(async () => {
  ({ ratings, movies } = await loadDataset(movielensDir()));
});

const ids = (list: readonly RankedMovie[]): number[] => list.map((m) => m.movieId);

/** Best first by score, ties by lower id (descending) or worst first (ascending). */
function assertOrdered(list: readonly RankedMovie[], direction: 1 | -1): void {
  for (let n = 1; n < list.length; n++) {
    const a = list[n - 1];
    const b = list[n];
    assert.ok(direction * (b.score - a.score) > 0 || (b.score === a.score && b.movieId > a.movieId), `${a.movieId} before ${b.movieId}`);
  }
}

test('overall: 48 best and 15 worst among movies with ≥ 20 ratings, classics on top', () => {
  const result = bestMovies(ratings, movies);
  assert.equal(result.minRatings, 20);
  assert.equal(result.eligible, 1297, 'ml-latest-small has 1,297 movies with ≥ 20 ratings');
  assert.equal(result.overall.best.length, 48);
  assert.equal(result.overall.worst.length, 15);
  for (const m of [...result.overall.best, ...result.overall.worst]) assert.ok(m.ratings >= 20, `${m.movieId} has ${m.ratings} ratings`);
  assertOrdered(result.overall.best, -1);
  assertOrdered(result.overall.worst, 1);
  assert.ok(result.overall.worst[0].score < result.overall.best[47].score);
  // Checked on the data: Shawshank (318) is first, The Godfather (858) and Fight Club (2959) in the top 5.
  assert.deepEqual(ids(result.overall.best).slice(0, 1), [318]);
  for (const classic of [858, 2959, 50, 260]) assert.ok(ids(result.overall.best).indexOf(classic) < 10, `${classic} near the top`);
  assert.ok(ids(result.overall.worst).includes(1562), 'Batman & Robin is among the worst');
});

test('scores are μ + b_i, counts and means are the movie’s own ratings', () => {
  const result = bestMovies(ratings, movies);
  const baseline = fitBaseline(ratings);
  const shawshank = result.overall.best[0];
  const item = ratings.itemIds.indexOf(318);
  const { indptr, values } = ratings.byItem;
  let sum = 0;
  for (let n = indptr[item]; n < indptr[item + 1]; n++) sum += values[n];
  assert.equal(shawshank.ratings, 317);
  assert.equal(shawshank.ratings, indptr[item + 1] - indptr[item]);
  assert.ok(Math.abs(shawshank.mean - sum / 317) < 1e-12);
  assert.ok(Math.abs(shawshank.score - (baseline.globalMean + baseline.itemBias[item])) < 1e-12);
  assert.ok(Math.abs(result.globalMean - 3.5016) < 1e-4, 'ml-latest-small’s mean rating');
});

test('per genre: each list holds only that genre and equals a plain sort of its eligible movies', () => {
  const result = bestMovies(ratings, movies);
  const genresOf = new Map(movies.map((m) => [m.id, m.genres]));
  const baseline = fitBaseline(ratings);
  assert.ok(Object.keys(result.byGenre).length >= 18);
  assert.ok(!('(no genres listed)' in result.byGenre));
  for (const [genre, ranking] of Object.entries(result.byGenre)) {
    for (const m of [...ranking.best, ...ranking.worst]) assert.ok(genresOf.get(m.movieId)!.includes(genre), `${m.movieId} is ${genre}`);
    const expected: Array<{ id: number; score: number }> = [];
    for (let i = 0; i < ratings.itemIds.length; i++) {
      const count = ratings.byItem.indptr[i + 1] - ratings.byItem.indptr[i];
      if (count >= 20 && genresOf.get(ratings.itemIds[i])!.includes(genre)) expected.push({ id: ratings.itemIds[i], score: baseline.itemBias[i] });
    }
    expected.sort((a, b) => b.score - a.score || a.id - b.id);
    const best = expected.slice(0, 48).map((e) => e.id);
    const worst = expected.slice(48).reverse().slice(0, 15).map((e) => e.id);
    assert.deepEqual(ids(ranking.best), best, `${genre} best`);
    assert.deepEqual(new Set(ids(ranking.worst)), new Set(worst), `${genre} worst`);
    assertOrdered(ranking.worst, 1);
  }
  assert.equal(result.byGenre.Drama.best.length, 48);
  assert.equal(result.byGenre.Comedy.worst.length, 15);
  assert.ok(result.byGenre['Film-Noir'].best.length < 48, 'a small genre lists what it has');
  assert.equal(result.byGenre['Film-Noir'].worst.length, 0, 'and never repeats a best movie as a worst one');
});

test('deterministic across runs; minRatings and list sizes are honoured', () => {
  assert.deepEqual(bestMovies(ratings, movies), bestMovies(ratings, movies));
  const strict = bestMovies(ratings, movies, { minRatings: 100, best: 10, worst: 3 });
  assert.equal(strict.overall.best.length, 10);
  assert.equal(strict.overall.worst.length, 3);
  for (const ranking of [strict.overall, ...Object.values(strict.byGenre)]) {
    for (const m of [...ranking.best, ...ranking.worst]) assert.ok(m.ratings >= 100);
  }
  assert.throws(() => bestMovies(ratings, movies, { best: -1 }), /best must be an integer ≥ 0/);
});

test('equal scores are ordered by movie id', () => {
  // Items 30 and 10 get identical ratings, so identical biases; 20 is better, 40 worse.
  const tiny = ratingsFromTriples(
    Int32Array.of(1, 2),
    Int32Array.of(30, 10, 20, 40),
    Int32Array.of(0, 0, 0, 0, 1, 1, 1, 1),
    Int32Array.of(0, 1, 2, 3, 0, 1, 2, 3),
    Float32Array.of(3, 3, 5, 1, 4, 4, 5, 2),
  );
  const catalog: Movie[] = [30, 10, 20, 40].map((id) => ({ id, title: `m${id}`, year: null, genres: ['Drama'], imdbId: null, tmdbId: null }));
  const result = bestMovies(tiny, catalog, { minRatings: 1, best: 4, worst: 0 });
  assert.deepEqual(ids(result.overall.best), [20, 10, 30, 40]);
  const worst = bestMovies(tiny, catalog, { minRatings: 1, best: 1, worst: 3 });
  assert.deepEqual(ids(worst.overall.worst), [40, 10, 30]);
  assert.deepEqual(ids(worst.byGenre.Drama.worst), [40, 10, 30]);
});
