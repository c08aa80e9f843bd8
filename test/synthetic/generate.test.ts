import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadMoviesCsv } from '../../src/catalog/movies.js';
import { loadRatings } from '../../src/catalog/ratings.js';
import { createRandom } from '../../src/recommend/random.js';
import { generateSyntheticMovielens, SUMMARY_FILE, type GenerateOptions } from '../../src/synthetic/generate.js';
import { GENRES } from '../../src/synthetic/vocabulary.js';

const root = mkdtempSync(join(tmpdir(), 'synthetic-test-'));
test.after(() => rmSync(root, { recursive: true, force: true }));

const shape = { users: 400, movies: 3_000, ratings: 40_000 };
const first = 1_000_000_000;
const last = 1_500_000_000;

function generate(name: string, seed: number, extra: Partial<GenerateOptions> = {}): string {
  const out = join(root, name);
  generateSyntheticMovielens({ ...shape, seed, out, firstTimestamp: first, lastTimestamp: last, ...extra });
  return out;
}

/** ratings.csv as columns (the generator writes plain LF lines without quotes). */
function readRatings(dir: string): { header: string; users: number[]; movies: number[]; ratings: number[]; times: number[] } {
  const [header, ...lines] = readFileSync(join(dir, 'ratings.csv'), 'utf8').split('\n');
  assert.equal(lines.pop(), '', 'ratings.csv ends with a newline');
  const users: number[] = [], movies: number[] = [], ratings: number[] = [], times: number[] = [];
  for (const line of lines) {
    const [u, m, r, t] = line.split(',');
    users.push(Number(u));
    movies.push(Number(m));
    ratings.push(Number(r));
    times.push(Number(t));
  }
  return { header, users, movies, ratings, times };
}

const base = generate('seed7', 7);
const rows = readRatings(base);

test('writes exactly the asked numbers of users, movies and ratings with MovieLens headers', async () => {
  assert.equal(rows.header, 'userId,movieId,rating,timestamp');
  assert.equal(rows.users.length, shape.ratings);
  assert.equal(new Set(rows.users).size, shape.users);
  assert.equal(Math.max(...rows.users), shape.users, 'user ids run 1…N');
  const movies = await loadMoviesCsv(join(base, 'movies.csv'), join(base, 'links.csv'));
  assert.equal(movies.length, shape.movies);
  assert.equal(readFileSync(join(base, 'movies.csv'), 'utf8').split('\n')[0], 'movieId,title,genres');
  assert.equal(readFileSync(join(base, 'links.csv'), 'utf8').split('\n')[0], 'movieId,imdbId,tmdbId');
  const summary = JSON.parse(readFileSync(join(base, SUMMARY_FILE), 'utf8'));
  assert.deepEqual([summary.users, summary.movies, summary.ratings, summary.seed], [shape.users, shape.movies, shape.ratings, 7]);
  assert.equal(summary.ratedMovies, new Set(rows.movies).size);
});

test('the catalog loaders read it: every rated movie is in movies.csv, no (user, movie) twice', async () => {
  const movies = await loadMoviesCsv(join(base, 'movies.csv'), join(base, 'links.csv'));
  const ratings = await loadRatings(join(base, 'ratings.csv'), { knownMovieIds: new Set(movies.map((m) => m.id)) });
  assert.equal(ratings.byUser.indptr[ratings.byUser.rows], shape.ratings);
  assert.equal(ratings.userIds.length, shape.users);
  const titled = movies.filter((m) => m.title.includes(','));
  assert.ok(titled.length > shape.movies * 0.05, `titles with quoted commas: ${titled.length}`);
  assert.ok(movies.filter((m) => m.year !== null).length > shape.movies * 0.99, 'nearly every title has a year');
  const known = new Set(GENRES.map((g) => g.name));
  assert.ok(movies.every((m) => m.genres.every((g) => known.has(g))), 'only MovieLens genres');
  assert.ok(movies.filter((m) => m.genres.length === 0).length < shape.movies * 0.02, 'few "(no genres listed)"');
  assert.ok(movies.filter((m) => m.genres.length > 1).length > shape.movies * 0.3, 'many movies have several genres');
  assert.ok(movies.filter((m) => m.imdbId !== null && /^\d{7}$/.test(m.imdbId)).length === shape.movies);
});

test('rows come sorted by user then movie, so no pair repeats', () => {
  for (let n = 1; n < rows.users.length; n++) {
    const ordered = rows.users[n - 1] < rows.users[n] || (rows.users[n - 1] === rows.users[n] && rows.movies[n - 1] < rows.movies[n]);
    assert.ok(ordered, `line ${n + 2} is out of order or repeats a pair`);
  }
});

test('every user has at least 20 ratings and activity is heavy-tailed', () => {
  const perUser = counts(rows.users);
  const sorted = [...perUser.values()].sort((a, b) => a - b);
  assert.ok(sorted[0] >= 20, `least active user has ${sorted[0]}`);
  const median = sorted[sorted.length >> 1];
  assert.ok(sorted[sorted.length - 1] > 8 * median, `max ${sorted[sorted.length - 1]} vs median ${median}`);
});

test('ratings are 0.5–5 in half steps and timestamps inside the range', () => {
  const seen = new Set(rows.ratings);
  for (const r of seen) assert.ok(r >= 0.5 && r <= 5 && Number.isInteger(r * 2), `rating ${r}`);
  assert.ok(seen.has(4) && seen.has(3.5) && seen.has(1), 'uses the scale, whole and half stars');
  const mean = rows.ratings.reduce((s, r) => s + r, 0) / rows.ratings.length;
  assert.ok(mean > 3.2 && mean < 3.9, `mean rating ${mean} (MovieLens ≈ 3.5)`);
  for (const t of rows.times) assert.ok(Number.isInteger(t) && t >= first && t <= last, `timestamp ${t}`);
});

test('popularity has a long tail: the top 1% of movies hold more than 10% of the ratings', () => {
  const perMovie = [...counts(rows.movies).values()].sort((a, b) => b - a);
  const top = perMovie.slice(0, Math.ceil(shape.movies / 100)).reduce((s, c) => s + c, 0);
  assert.ok(top / shape.ratings > 0.1, `top 1% share ${top / shape.ratings}`);
  const once = perMovie.filter((c) => c === 1).length;
  assert.ok(once > perMovie.length * 0.05, `movies rated once: ${once} of ${perMovie.length}`);
});

test('what a user rates carries taste: their top genre is over-represented against shuffled watching', async () => {
  const movies = await loadMoviesCsv(join(base, 'movies.csv'));
  const genresOf = new Map(movies.map((m) => [m.id, m.genres]));
  // The same ratings with movies dealt to users at random: popularity and activity kept, taste removed.
  const shuffled = [...rows.movies];
  const rng = createRandom(1);
  for (let n = shuffled.length - 1; n > 0; n--) {
    const j = rng.int(n + 1);
    [shuffled[n], shuffled[j]] = [shuffled[j], shuffled[n]];
  }
  const observed = meanTopGenreShare(rows.users, rows.movies, genresOf);
  const chance = meanTopGenreShare(rows.users, shuffled, genresOf);
  assert.ok(observed > chance * 1.1, `mean top-genre share ${observed} vs ${chance} when shuffled`);
});

/** Per user, the share of their ratings in their most rated genre, averaged over users. */
function meanTopGenreShare(users: readonly number[], movies: readonly number[], genresOf: Map<number, readonly string[]>): number {
  let total = 0;
  let userCount = 0;
  let start = 0;
  for (let n = 1; n <= users.length; n++) {
    if (n < users.length && users[n] === users[start]) continue;
    const genreCounts = new Map<string, number>();
    for (let j = start; j < n; j++) for (const g of genresOf.get(movies[j])!) genreCounts.set(g, (genreCounts.get(g) ?? 0) + 1);
    total += Math.max(0, ...genreCounts.values()) / (n - start);
    userCount++;
    start = n;
  }
  return total / userCount;
}

test('the same seed gives the same bytes; another seed gives other data', () => {
  const again = generate('seed7-again', 7);
  const other = generate('seed8', 8);
  for (const file of ['movies.csv', 'links.csv', 'ratings.csv']) {
    assert.ok(readFileSync(join(base, file)).equals(readFileSync(join(again, file))), `${file} differs for the same seed`);
    assert.ok(!readFileSync(join(base, file)).equals(readFileSync(join(other, file))), `${file} is the same for another seed`);
  }
});

test('a dense shape (users rate nearly every movie) still draws distinct movies and exact counts', async () => {
  const out = join(root, 'dense');
  generateSyntheticMovielens({ users: 6, movies: 25, ratings: 140, seed: 3, out });
  const dense = readRatings(out);
  assert.equal(dense.users.length, 140);
  const ratings = await loadRatings(join(out, 'ratings.csv'));
  assert.equal(ratings.byUser.indptr[ratings.byUser.rows], 140);
  for (const c of counts(dense.users).values()) assert.ok(c >= 20 && c <= 25);
});

test('impossible shapes are refused with the flag to fix', () => {
  const out = join(root, 'bad');
  assert.throws(() => generateSyntheticMovielens({ users: 10, movies: 100, ratings: 150, seed: 1, out }), /--ratings must be at least --users × 20 = 200/);
  assert.throws(() => generateSyntheticMovielens({ users: 2, movies: 30, ratings: 61, seed: 1, out }), /at most --users × --movies = 60/);
  assert.throws(() => generateSyntheticMovielens({ users: 2, movies: 10, ratings: 20, seed: 1, out }), /--movies must be at least 20/);
  assert.throws(() => generateSyntheticMovielens({ users: 1.5, movies: 100, ratings: 150, seed: 1, out }), /--users must be a positive integer/);
});

function counts(values: readonly number[]): Map<number, number> {
  const out = new Map<number, number>();
  for (const v of values) out.set(v, (out.get(v) ?? 0) + 1);
  return out;
}
