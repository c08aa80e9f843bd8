import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { defaultMovielensDir, repoRoot } from '../../src/paths.js';
import { createProgress } from '../../src/progress.js';
import { defaultSyntheticDir } from '../cli/synthetic-options.js';
import { GENERATOR_VERSION, generateSyntheticMovielens, SUMMARY_FILE } from '../../src/synthetic/generate.js';
import type { SyntheticShape } from '../../src/synthetic/shapes.js';

/** ml-latest-small: MOVIELENS_DIR, or ../shared/movielens/ml-latest-small beside the repository. */
export function movielensSmallDir(): string {
  const dir = resolve(process.env.MOVIELENS_DIR || defaultMovielensDir);
  if (!existsSync(join(dir, 'ratings.csv'))) throw new Error(`${dir}: no ratings.csv; set MOVIELENS_DIR to ml-latest-small`);
  return dir;
}

/**
 * The synthetic folder data/synthetic/<name>-seed<seed>/, generated once (with a progress bar) and reused
 * while its synthetic.json says it has this shape and seed and comes from this generator version.
 */
export function syntheticFolder(name: string, shape: SyntheticShape, seed: number): string {
  const dir = defaultSyntheticDir(repoRoot, name, seed);
  if (isComplete(dir, shape, seed)) return dir;
  process.stderr.write(`generating ${dir} (${shape.ratings.toLocaleString('en')} ratings, once)\n`);
  const progress = createProgress({ label: `${name} ratings.csv`, total: shape.ratings, unit: 'ratings' });
  generateSyntheticMovielens({ ...shape, seed, out: dir, onProgress: (done) => progress.update(done) });
  progress.finish();
  return dir;
}

function isComplete(dir: string, shape: SyntheticShape, seed: number): boolean {
  const summaryPath = join(dir, SUMMARY_FILE);
  if (!existsSync(summaryPath)) return false;
  try {
    const summary = JSON.parse(readFileSync(summaryPath, 'utf8')) as Partial<SyntheticShape & { seed: number; generator: string }>;
    return summary.generator === GENERATOR_VERSION && summary.users === shape.users && summary.movies === shape.movies && summary.ratings === shape.ratings && summary.seed === seed;
  } catch {
    return false;
  }
}
