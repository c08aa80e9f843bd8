import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadMovies } from '../../src/catalog/dataset.js';
import { createTitleIndex } from '../../src/catalog/search.js';
import type { Movie } from '../../src/catalog/types.js';
import { createRandom, type Random } from '../../src/recommend/random.js';
import { createAliasTable, sampleAlias } from '../../src/synthetic/alias.js';
import { generateCatalog } from '../../src/synthetic/catalog.js';
import { writeMoviesCsv } from '../../src/synthetic/generate.js';
import { latenciesMs, percentile } from './measure.js';
import type { BenchGroup } from './rows.js';

const MOVIES = 60_000;

/** Title search on a 60k-movie synthetic catalog, queried the way the picker is: every keystroke from 2 characters. */
export function searchGroup(titles: number, seed: number): BenchGroup {
  return {
    name: 'title search',
    specs: [{ id: 'search.p99', figure: 'title search p99 per query, 60k-movie catalog', limit: 2, unit: 'ms' }],
    async run(record) {
      const rng = createRandom(seed);
      const catalog = generateCatalog(MOVIES, rng, 2019);
      const dir = mkdtempSync(join(tmpdir(), 'moviehunter-bench-catalog-'));
      let movies: Movie[];
      try {
        writeMoviesCsv(join(dir, 'movies.csv'), catalog);
        movies = await loadMovies(dir);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
      const popularity = new Map<number, number>();
      catalog.movieIds.forEach((id, k) => popularity.set(id, Math.round(catalog.popularity[k] * 100)));
      const index = createTitleIndex(movies, popularity);
      const queries = keystrokeQueries(movies, catalog.popularity, titles, rng);
      const times = latenciesMs(queries, (q) => index.search(q, 10), 200);
      record('search.p99', percentile(times, 99), `p50 ${percentile(times, 50).toFixed(3)} ms over ${queries.length} keystroke queries, 1 title in 10 with a typo`);
    },
  };
}

/**
 * What people type looking for `count` titles (popular ones more often): one or two of its words, now and then
 * its year, lower-cased or without accents, one in ten with a typo (two neighbouring letters swapped in a word of 4
 * letters or more, which sends it down the typo path), every prefix from 2 characters on.
 */
export function keystrokeQueries(movies: readonly Movie[], popularity: Float64Array, count: number, rng: Random): string[] {
  const table = createAliasTable(popularity);
  const queries: string[] = [];
  for (let n = 0; n < count; n++) {
    const movie = movies[sampleAlias(table, rng.next())];
    const words = movie.title.split(/[\s,:()"]+/).filter((w) => w.length > 0);
    const from = rng.int(words.length);
    let query = words.slice(from, from + 1 + rng.int(2)).join(' ');
    if (movie.year !== null && rng.next() < 0.3) query += ` ${movie.year}`;
    if (rng.next() < 0.5) query = query.toLowerCase();
    if (rng.next() < 0.5) query = query.normalize('NFD').replace(/\p{M}/gu, '');
    if (rng.next() < 0.1) query = withSwappedLetters(query, rng);
    for (let length = 2; length <= query.length; length++) queries.push(query.slice(0, length));
  }
  return queries;
}

/** The query with two neighbouring letters of one of its longer words swapped ("godfather" → "godfahter"). */
function withSwappedLetters(query: string, rng: Random): string {
  const words = query.split(' ');
  const long = words.map((word, k) => (word.length >= 4 ? k : -1)).filter((k) => k !== -1);
  if (long.length === 0) return query;
  const k = long[rng.int(long.length)];
  const word = words[k];
  const at = 1 + rng.int(word.length - 2);
  words[k] = word.slice(0, at) + word[at + 1] + word[at] + word.slice(at + 2);
  return words.join(' ');
}
