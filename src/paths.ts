import { existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: the nearest folder above this file holding package.json (from src/ or dist/src/), else the working directory. */
export const repoRoot = findRepoRoot(dirname(fileURLToPath(import.meta.url)));

function findRepoRoot(from: string): string {
  for (let dir = from; dir !== dirname(dir); dir = dirname(dir)) {
    if (existsSync(resolve(dir, 'package.json'))) return dir;
  }
  return process.cwd();
}

/** Where MovieLens data is found unless MOVIELENS_DIR says otherwise. */
export const defaultMovielensDir = resolve(repoRoot, '../shared/movielens/ml-latest-small');
