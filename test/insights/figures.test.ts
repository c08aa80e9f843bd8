import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { insightCharts } from '../../src/insights/charts.js';
import { insightsFigures, pearson } from '../../src/insights/figures.js';
import { createInsights } from '../../src/insights/insights.js';
import { assertWellFormedXml } from '../support/well-formed.js';
import { TINY_MOVIES, tinyRatings } from './tiny-dataset.js';

const close = (actual: number | null, expected: number, what: string) => assert.ok(actual !== null && Math.abs(actual - expected) < 1e-9, `${what}: ${actual} ≠ ${expected}`);

describe('insights figures on a hand-made dataset', () => {
  const figures = insightsFigures(tinyRatings(), TINY_MOVIES, { minDecadeRatings: 1 });

  test('totals: 7 ratings by 3 users of 4 movies, averaging 24/7 stars', () => {
    assert.deepEqual({ ...figures.totals, meanRating: undefined }, { ratings: 7, users: 3, movies: 4, meanRating: undefined });
    close(figures.totals.meanRating, 24 / 7, 'mean');
  });

  test('the distribution counts every half star from the lowest given (0.5) to 5, zeros included', () => {
    assert.deepEqual(figures.ratingDistribution, [
      { rating: 0.5, count: 1 }, { rating: 1, count: 0 }, { rating: 1.5, count: 0 }, { rating: 2, count: 0 }, { rating: 2.5, count: 0 },
      { rating: 3, count: 2 }, { rating: 3.5, count: 0 }, { rating: 4, count: 2 }, { rating: 4.5, count: 1 }, { rating: 5, count: 1 },
    ]);
  });

  test('whole stars only (ml-100k): steps of one star', () => {
    const whole = insightsFigures(tinyRatings([[1, 1, 2], [2, 1, 4]]), TINY_MOVIES);
    assert.deepEqual(whole.ratingDistribution.map((r) => r.rating), [2, 3, 4, 5]);
  });

  test('popularity: each rated movie with its count and mean; bands of movies by number of ratings', () => {
    assert.deepEqual(figures.popularity.points, [
      { movieId: 1, ratings: 3, mean: 4 },
      { movieId: 2, ratings: 2, mean: 4.25 },
      { movieId: 3, ratings: 1, mean: 3 },
      { movieId: 4, ratings: 1, mean: 0.5 },
    ]);
    assert.equal(figures.popularity.ratedMovies, 4);
    const [few, ...rest] = figures.popularity.bands;
    assert.deepEqual({ ...few, meanRating: undefined }, { label: '1 to 9', from: 1, to: 10, movies: 4, meanRating: undefined });
    close(few.meanRating, (4 + 4.25 + 3 + 0.5) / 4, 'band mean');
    assert.deepEqual(rest.map((b) => [b.label, b.movies, b.meanRating]), [['10 to 99', 0, null], ['100 to 999', 0, null], ['1,000 or more', 0, null]]);
    close(figures.popularity.correlation, pearson([3, 2, 1, 1].map(Math.log10), [4, 4.25, 3, 0.5])!, 'correlation');
    assert.ok(figures.popularity.correlation! > 0.5, 'here the much-rated movies are the liked ones');
  });

  test('the scatter samples every k-th movie above the limit', () => {
    const sampled = insightsFigures(tinyRatings(), TINY_MOVIES, { maxScatterPoints: 2 });
    assert.deepEqual(sampled.popularity.points.map((p) => p.movieId), [1, 3]);
    assert.equal(sampled.popularity.ratedMovies, 4, 'the correlation and bands still use every movie');
  });

  test('genres: ratings of a two-genre movie count for both; no pseudo-genre; unrated genres absent', () => {
    assert.equal(figures.genres.length, 2);
    const [drama, comedy] = figures.genres;
    assert.deepEqual({ ...drama, mean: undefined }, { genre: 'Drama', ratings: 5, movies: 2, mean: undefined });
    close(drama.mean, (5 + 4 + 3 + 4 + 4.5) / 5, 'drama mean');
    assert.deepEqual({ ...comedy, mean: undefined }, { genre: 'Comedy', ratings: 4, movies: 2, mean: undefined });
    close(comedy.mean, (5 + 4 + 3 + 3) / 4, 'comedy mean');
  });

  test('genres by release decade: a point per decade with enough ratings, null where too few', () => {
    const { decades, series } = figures.genreDecades;
    assert.deepEqual(decades, [1990, 2000]);
    assert.deepEqual(series.map((s) => s.genre), ['Drama', 'Comedy']);
    assert.deepEqual(series[0].points.map((p) => [p.decade, p.ratings]), [[1990, 5], [2000, 0]]);
    close(series[0].points[0].mean, 4.1, 'drama 1990s');
    assert.equal(series[0].points[1].mean, null);
    assert.deepEqual(series[1].points.map((p) => p.mean), [4, 3]);

    const strict = insightsFigures(tinyRatings(), TINY_MOVIES, { minDecadeRatings: 3 }).genreDecades;
    assert.deepEqual(strict.decades, [1990], 'the 2000s have one Comedy rating only');
    assert.deepEqual(strict.series[1].points.map((p) => p.mean), [4]);
    assert.deepEqual(insightsFigures(tinyRatings(), TINY_MOVIES).genreDecades.decades, [], 'the default needs 50');
  });

  test('most rated: by count, ties by movie id', () => {
    assert.deepEqual(figures.mostRated.map((m) => [m.movieId, m.title, m.year, m.ratings, m.mean]), [
      [1, 'Alpha', 1994, 3, 4],
      [2, 'Beta', 1995, 2, 4.25],
      [3, 'Gamma', 2001, 1, 3],
      [4, 'Delta', null, 1, 0.5],
    ]);
  });

  test('pearson: ±1 on lines, null without variation', () => {
    close(pearson([1, 2, 3], [2, 4, 6]), 1, 'r');
    close(pearson([1, 2, 3], [3, 2, 1]), -1, 'r');
    assert.equal(pearson([1, 1, 1], [1, 2, 3]), null);
    assert.equal(pearson([1], [1]), null);
  });
});

describe('insights charts', () => {
  test('five charts, each well-formed SVG with a title, a description, a caption and its numbers', () => {
    const charts = insightCharts(insightsFigures(tinyRatings(), TINY_MOVIES, { minDecadeRatings: 1 }));
    assert.deepEqual(charts.map((c) => c.id), ['ratings-distribution', 'popularity', 'genres', 'genre-decades', 'most-rated']);
    for (const chart of charts) {
      assertWellFormedXml(chart.svg, chart.id);
      assert.match(chart.svg, /role="img"/);
      assert.match(chart.svg, /<title id="[^"]+">[^<]+<\/title><desc id="[^"]+">[^<]+<\/desc>/);
      assert.ok(chart.caption.length > 20);
      assert.ok(chart.table.rows.length > 0 && chart.table.rows.every((r) => r.length === chart.table.head.length), chart.id);
    }
    const genres = charts.find((c) => c.id === 'genres')!;
    assert.match(genres.svg, /Drama movies get the most ratings \(5\), followed by Comedy/);
    const decades = charts.find((c) => c.id === 'genre-decades')!;
    assert.match(decades.caption, /release year/);
    assert.deepEqual(decades.table.rows, [['1990s', '4.10', '4.00'], ['2000s', '–', '3.00']]);
  });

  test('without enough data per decade that chart is left out; titles of movies are escaped', () => {
    const movies = TINY_MOVIES.map((m) => (m.id === 1 ? { ...m, title: '<b>Alpha & Omega</b>' } : m));
    const charts = insightCharts(insightsFigures(tinyRatings(), movies));
    assert.ok(!charts.some((c) => c.id === 'genre-decades'));
    const top = charts.find((c) => c.id === 'most-rated')!;
    assert.ok(top.svg.includes('&lt;b&gt;Alpha &amp; Omega&lt;/b&gt; (1994)'));
    assert.ok(!top.svg.includes('<b>'));
  });

  test('the service computes once and keeps the result', () => {
    const insights = createInsights({ ratings: tinyRatings(), movies: TINY_MOVIES });
    assert.equal(insights.view(), insights.view());
    assert.equal(insights.view().totals.ratings, 7);
  });
});
