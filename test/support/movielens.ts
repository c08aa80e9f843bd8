import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository root: the nearest folder above this file holding package.json, else the working directory. */
export const repoRoot = findRepoRoot(dirname(fileURLToPath(import.meta.url)));

function findRepoRoot(from: string): string {
  for (let dir = from; dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(resolve(dir, 'package.json'))) return dir;
  }
  return process.cwd();
}

/** The MovieLens ml-latest-small folder: MOVIELENS_DIR, or ../shared/movielens/ml-latest-small beside the repository. */
export function movielensDir(): string {
  const dir = process.env.MOVIELENS_DIR ?? resolve(repoRoot, '../shared/movielens/ml-latest-small');
  if (!existsSync(resolve(dir, 'ratings.csv'))) {
    throw new Error(`MovieLens data not found in ${dir}: set MOVIELENS_DIR to a folder holding ratings.csv`);
  }
  return dir;
}
