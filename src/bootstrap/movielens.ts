/**
 * Data on first start: which MovieLens folder the app uses, downloading ml-latest-small into DATA_DIR when there is
 * none. Order: MOVIELENS_DIR when set (it must hold a dataset); else ../shared/movielens/ml-latest-small beside the
 * repository (developers); else DATA_DIR/ml-latest-small, downloaded (and verified) when missing.
 */
import { existsSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { detectDatasetFormat, type DatasetFormat } from '../catalog/dataset.js';
import { defaultMovielensDir } from '../paths.js';
import type { ProgressStream } from '../progress.js';
import { ML_LATEST_SMALL, type MovielensDownloadSpec } from './movielens-files.js';
import { checkFolder, downloadMovielens, MovielensDownloadError, type MovielensLog } from './movielens-download.js';

export { ML_LATEST_SMALL, type ExpectedFile, type MovielensDownloadSpec } from './movielens-files.js';
export { checkFolder, downloadMovielens, MovielensDownloadError, type MovielensLog } from './movielens-download.js';

/** No usable MovieLens folder; the message says what failed and how to point MOVIELENS_DIR at a copy. */
export class MovielensUnavailableError extends Error {
  override name = 'MovielensUnavailableError';
}

export interface ResolveMovielensOptions {
  /** config.MOVIELENS_DIR: when set, it is the only folder considered. */
  readonly configured: string | undefined;
  readonly dataDir: string;
  /** What to download when needed; ml-latest-small from GroupLens unless given (tests give a local URL). */
  readonly download?: MovielensDownloadSpec;
  /** The developers' copy, used when it holds a dataset; null skips it. ../shared/movielens/ml-latest-small unless given. */
  readonly developerDir?: string | null;
  readonly fetch?: typeof fetch;
  readonly log?: MovielensLog;
  /** The download's progress bar; process.stderr unless given. */
  readonly progress?: ProgressStream;
  readonly stallTimeoutMs?: number;
  readonly timeoutMs?: number;
}

/** The absolute MovieLens folder to use; downloads ml-latest-small into DATA_DIR when needed. Throws MovielensUnavailableError. */
export async function resolveMovielensDir(options: ResolveMovielensOptions): Promise<string> {
  if (options.configured !== undefined && options.configured !== '') {
    const dir = resolve(options.configured);
    const problem = datasetProblem(dir);
    if (problem) {
      throw new MovielensUnavailableError(
        `MOVIELENS_DIR=${options.configured}: ${problem}. Point MOVIELENS_DIR at a MovieLens folder ` +
          `(for ml-latest-small, the unzipped folder holding movies.csv and ratings.csv), or unset it to use ` +
          `${join(options.dataDir, (options.download ?? ML_LATEST_SMALL).name)}, downloaded on first start.`,
      );
    }
    return dir;
  }
  const developerDir = options.developerDir === undefined ? defaultMovielensDir : options.developerDir;
  if (developerDir !== null && datasetProblem(developerDir) === null) return resolve(developerDir);
  const spec = options.download ?? ML_LATEST_SMALL;
  return ensureMovielensAt(resolve(options.dataDir, spec.name), { ...options, spec });
}

export interface EnsureMovielensOptions extends Omit<ResolveMovielensOptions, 'configured' | 'dataDir' | 'download' | 'developerDir'> {
  readonly spec: MovielensDownloadSpec;
  /** The zip's address; spec.url unless given. */
  readonly url?: string;
}

/**
 * `target` when it already holds every expected file; else downloads it there (verified, renamed into place).
 * A folder that is there but incomplete is reported, never deleted: it may be someone's copy.
 */
export async function ensureMovielensAt(target: string, options: EnsureMovielensOptions): Promise<string> {
  const { spec } = options;
  const found = await checkFolder(target, spec);
  if (found.state === 'complete') return target;
  if (found.state === 'incomplete') {
    throw new MovielensUnavailableError(
      `${target} is there but incomplete: ${found.problems.join('; ')}. Delete it to download ${spec.name} again, ` +
        `or set MOVIELENS_DIR to a complete copy.`,
    );
  }
  options.log?.info(`MovieLens: no ${spec.name} in ${target}; downloading it (set MOVIELENS_DIR to use a copy instead)`);
  try {
    return await downloadMovielens({ ...options, target });
  } catch (error) {
    const url = options.url ?? spec.url;
    const what = error instanceof MovielensDownloadError ? error.message : `${(error as Error).message ?? error}`;
    throw new MovielensUnavailableError(
      `Could not download MovieLens ${spec.name}: ${what}. Nothing was kept. To use a copy instead, get ${url} ` +
        `(on another machine if this one has no internet), unzip it, and start with ` +
        `MOVIELENS_DIR=/path/to/${spec.name} (the folder holding movies.csv and ratings.csv); or unzip it to ${target}.`,
      { cause: error },
    );
  }
}

const RATINGS_FILE: Record<DatasetFormat, string> = { 'ml-latest': 'ratings.csv', 'ml-1m': 'ratings.dat', 'ml-100k': 'u.data' };

/** Why `dir` cannot serve as a MovieLens folder, or null when it holds one (its movies and ratings files). */
function datasetProblem(dir: string): string | null {
  if (!existsSync(dir)) return `${resolve(dir)} does not exist`;
  if (!statSync(dir).isDirectory()) return `${resolve(dir)} is not a folder`;
  let format: DatasetFormat;
  try {
    format = detectDatasetFormat(dir);
  } catch (error) {
    return (error as Error).message;
  }
  if (!existsSync(join(dir, RATINGS_FILE[format]))) return `${resolve(dir)} has no ${RATINGS_FILE[format]}`;
  return null;
}
