import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { defaultMovielensDir } from '../../src/paths.js';

export { repoRoot } from '../../src/paths.js';

/** The MovieLens ml-latest-small folder: MOVIELENS_DIR, or ../shared/movielens/ml-latest-small beside the repository. */
export function movielensDir(): string {
  const dir = process.env.MOVIELENS_DIR ?? defaultMovielensDir;
  if (!existsSync(resolve(dir, 'ratings.csv'))) {
    throw new Error(`MovieLens data not found in ${dir}: set MOVIELENS_DIR to a folder holding ratings.csv`);
  }
  return dir;
}
