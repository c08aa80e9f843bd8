/**
 * Child process of the bench's large rows: loads one synthetic ratings.csv, trains a few ALS iterations,
 * reads its own peak RSS (worker threads included), then times best movies. Prints one JSON line on stdout.
 *   node large-child.js <dataset dir> <rank> <iterations>
 */
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { loadMoviesCsv } from '../../src/catalog/movies.js';
import { loadRatings } from '../../src/catalog/ratings.js';
import { loadConfig } from '../../src/config.js';
import { trainAls } from '../../src/recommend/als/index.js';
import { bestMovies } from '../../src/recommend/best-movies.js';

export interface LargeChildReport {
  readonly ratings: number;
  readonly users: number;
  readonly items: number;
  readonly loadSeconds: number;
  readonly iterationSeconds: number[];
  readonly trainSeconds: number;
  readonly threads: number;
  readonly solver: string;
  readonly kernels: string;
  /** process.resourceUsage().maxRSS after training, in bytes. */
  readonly peakRssBytes: number;
  readonly bestMoviesSeconds: number;
}

async function main(): Promise<void> {
  const [dir, rankText, iterationsText] = process.argv.slice(2);
  if (!dir || !rankText || !iterationsText) throw new Error('usage: large-child.js <dataset dir> <rank> <iterations>');
  const log = (line: string) => process.stderr.write(`  [large] ${line}\n`);

  let start = performance.now();
  const ratings = await loadRatings(join(dir, 'ratings.csv'));
  const loadSeconds = (performance.now() - start) / 1000;
  const count = ratings.byUser.indptr[ratings.byUser.rows];
  log(`loaded ${count} ratings in ${loadSeconds.toFixed(1)} s`);

  const kernels = loadConfig().ALS_KERNELS;
  const trained = await trainAls(ratings, { rank: Number(rankText), iterations: Number(iterationsText), kernels }, (it) =>
    log(`iteration ${it.iteration}: ${it.seconds.toFixed(1)} s`),
  );
  const peakRssBytes = process.resourceUsage().maxRSS * 1024;

  const movies = await loadMoviesCsv(join(dir, 'movies.csv'));
  start = performance.now();
  bestMovies(ratings, movies);
  const bestMoviesSeconds = (performance.now() - start) / 1000;
  log(`best movies in ${bestMoviesSeconds.toFixed(2)} s`);

  const report: LargeChildReport = {
    ratings: count,
    users: ratings.byUser.rows,
    items: ratings.byItem.rows,
    loadSeconds,
    iterationSeconds: trained.iterations.map((it) => it.seconds),
    trainSeconds: trained.seconds,
    threads: trained.options.threads,
    solver: trained.options.solver,
    kernels: trained.options.kernels,
    peakRssBytes,
    bestMoviesSeconds,
  };
  process.stdout.write(`${JSON.stringify(report)}\n`);
}

main().catch((error: Error) => {
  process.stderr.write(`${error.stack ?? error.message}\n`);
  process.exit(1);
});
