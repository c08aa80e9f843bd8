/**
 * The original's best-movies notebook beside the core: notebook_best_movies.py (pandas, the original preparation)
 * and bestMovies (src/recommend/best-movies.ts) on the same ratings, timed, and how far their top lists agree.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Movie, RatingsMatrix } from '../../src/catalog/types.js';
import { repoRoot } from '../../src/paths.js';
import { bestMovies } from '../../src/recommend/best-movies.js';
import { launch } from './launch.js';
import type { NotebookReport } from './summary.js';

const TOP = 48;

interface NotebookOutput {
  readonly ratings: number;
  readonly readSeconds: number;
  readonly prepareSeconds: number;
  readonly rankSeconds: number;
  readonly pandas: string;
  readonly best: readonly { movieId: number }[];
}

export async function compareNotebook(
  python: string,
  ratingsCsv: string,
  ratings: RatingsMatrix,
  movies: readonly Movie[],
  coreLoadSeconds: number,
  log: (line: string) => void,
): Promise<NotebookReport> {
  const dir = mkdtempSync(join(tmpdir(), 'moviehunter-notebook-'));
  try {
    const out = join(dir, 'notebook.json');
    const run = await launch(python, [join(repoRoot, 'scripts', 'peers', 'notebook_best_movies.py'), '--ratings', ratingsCsv, '--top', String(TOP), '--out', out], {
      timeoutMs: 60 * 60 * 1000,
      log: (line) => log(`  [notebook] ${line}`),
    });
    if (run.code !== 0) throw new Error(`the notebook preparation failed (${run.signal ?? `exit ${run.code}`}): ${run.stderrTail.at(-1) ?? ''}`);
    const notebook = JSON.parse(readFileSync(out, 'utf8')) as NotebookOutput;

    // The core as the web app computes it (overall and every genre), slowest of 3 after one warm-up.
    bestMovies(ratings, movies);
    let seconds = 0;
    let core = bestMovies(ratings, movies);
    for (let n = 0; n < 3; n++) {
      const started = performance.now();
      core = bestMovies(ratings, movies);
      seconds = Math.max(seconds, (performance.now() - started) / 1000);
    }
    const notebookTop = notebook.best.map((m) => m.movieId);
    const coreTop = core.overall.best.map((m) => m.movieId);
    return {
      ratings: notebook.ratings,
      notebook: { readSeconds: notebook.readSeconds, prepareSeconds: notebook.prepareSeconds, rankSeconds: notebook.rankSeconds, pandas: notebook.pandas },
      core: { loadSeconds: coreLoadSeconds, bestMoviesSeconds: seconds },
      agreement: listAgreement(notebookTop, coreTop),
      notebookTop,
      coreTop,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Overlap of two top lists (whole and first 10) and Spearman's ρ of the shared movies' ranks. */
export function listAgreement(a: readonly number[], b: readonly number[]): NotebookReport['agreement'] {
  const rankB = new Map(b.map((id, n) => [id, n]));
  const shared = a.map((id, n) => ({ ra: n, rb: rankB.get(id) })).filter((s): s is { ra: number; rb: number } => s.rb !== undefined);
  const top10 = new Set(b.slice(0, 10));
  let spearman: number | null = null;
  if (shared.length >= 2) {
    // Ranks within the shared movies, then 1 − 6Σd²/(n(n²−1)).
    const order = (key: 'ra' | 'rb'): Map<number, number> => new Map([...shared].sort((x, y) => x[key] - y[key]).map((s, n) => [s.ra, n]));
    const byA = order('ra');
    const byB = order('rb');
    const n = shared.length;
    const d2 = shared.reduce((sum, s) => sum + (byA.get(s.ra)! - byB.get(s.ra)!) ** 2, 0);
    spearman = 1 - (6 * d2) / (n * (n * n - 1));
  }
  return { top: Math.max(a.length, b.length), overlap: shared.length, top10Overlap: a.slice(0, 10).filter((id) => top10.has(id)).length, spearman };
}
