/**
 * What leaves this machine: the folders gcloud deploys (artifacts/deploy/app and artifacts/deploy/function, holding
 * only the built code, views, package files and, for the app, the MovieLens copy), the Spark job's package zip, and
 * the MovieLens folder whose ratings go to the bucket.
 */
import { createHash } from 'node:crypto';
import { createWriteStream, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { chmod, cp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve } from 'node:path';
import { pipeline } from 'node:stream/promises';
import yazl from 'yazl';
import { ensureMovielensAt, ML_LATEST_SMALL } from '../../src/bootstrap/movielens.js';
import { detectDatasetFormat, type DatasetFormat } from '../../src/catalog/dataset.js';
import { defaultMovielensDir } from '../../src/paths.js';

export interface LocalPaths {
  /** The repository: views/, package.json, package-lock.json, spark/, app.yaml, the Firestore index file. */
  readonly repoRoot: string;
  /** The compiled output this script runs from: its src/ and jobs/ are deployed. */
  readonly distRoot: string;
  /** Where staging folders and the zip go (artifacts/deploy). */
  readonly outDir: string;
}

/** App Engine refuses files over 32 MB. */
export const APP_ENGINE_MAX_FILE_BYTES = 32 * 1024 * 1024;

const RATINGS_FILE: Record<DatasetFormat, string> = { 'ml-latest': 'ratings.csv', 'ml-1m': 'ratings.dat', 'ml-100k': 'u.data' };

export interface MovielensSource {
  readonly dir: string;
  /** The folder's name, used in the app (movielens/<name>) and the bucket (movielens/<name>/<ratings file>). */
  readonly name: string;
  readonly ratingsFile: string;
  /** Not there yet: ml-latest-small is downloaded into it before anything is staged (real runs only). */
  readonly toDownload: boolean;
}

export class StagingError extends Error {
  override name = 'StagingError';
}

/** MOVIELENS_DIR, else the developers' ../shared copy, else data/ml-latest-small (downloaded when missing). */
export function movielensSource(env: NodeJS.ProcessEnv, repoRoot: string): MovielensSource {
  const configured = env.MOVIELENS_DIR?.trim();
  if (configured) {
    const dir = resolve(configured);
    let format: DatasetFormat;
    try {
      format = detectDatasetFormat(dir);
    } catch (err) {
      throw new StagingError(`MOVIELENS_DIR=${configured}: ${(err as Error).message}`);
    }
    const ratingsFile = RATINGS_FILE[format];
    if (!existsSync(join(dir, ratingsFile))) throw new StagingError(`MOVIELENS_DIR=${configured}: ${ratingsFile} is missing`);
    return { dir, name: basename(dir), ratingsFile, toDownload: false };
  }
  if (existsSync(join(defaultMovielensDir, 'ratings.csv')) && existsSync(join(defaultMovielensDir, 'movies.csv'))) {
    return { dir: defaultMovielensDir, name: ML_LATEST_SMALL.name, ratingsFile: 'ratings.csv', toDownload: false };
  }
  const dir = join(repoRoot, 'data', ML_LATEST_SMALL.name);
  const complete = existsSync(join(dir, 'ratings.csv')) && existsSync(join(dir, 'movies.csv'));
  return { dir, name: ML_LATEST_SMALL.name, ratingsFile: 'ratings.csv', toDownload: !complete };
}

/** Downloads ml-latest-small (verified) when the source says so. */
export async function ensureMovielens(source: MovielensSource, log: (line: string) => void): Promise<void> {
  if (!source.toDownload) return;
  await ensureMovielensAt(source.dir, { spec: ML_LATEST_SMALL, log: { info: log, warn: log } });
}

/** The dataset's files that ship with the app; App Engine's 32 MB limit is checked here rather than at upload. */
export function movielensFiles(source: MovielensSource): { name: string; bytes: number }[] {
  if (source.toDownload) return ML_LATEST_SMALL.files.map((f) => ({ name: f.name, bytes: f.bytes }));
  const files = readdirSync(source.dir)
    .filter((name) => !name.startsWith('.') && statSync(join(source.dir, name)).isFile())
    .sort()
    .map((name) => ({ name, bytes: statSync(join(source.dir, name)).size }));
  const big = files.filter((f) => f.bytes > APP_ENGINE_MAX_FILE_BYTES);
  if (big.length > 0) {
    const list = big.map((f) => `${f.name} (${(f.bytes / 1e6).toFixed(0)} MB)`).join(', ');
    throw new StagingError(
      `${source.dir}: ${list} is over App Engine's 32 MB per file, so this dataset cannot ship with the app; ` +
        'use ml-latest-small or ml-1m (see docs/scaling.md for larger catalogs)',
    );
  }
  return files;
}

/** The package.json that is deployed: the same dependencies (so package-lock.json still applies), no build step. */
export function stagedPackageJson(original: Record<string, unknown>, main?: string): Record<string, unknown> {
  return {
    name: original.name,
    version: original.version,
    private: true,
    description: original.description,
    type: original.type,
    engines: { node: '20.x' },
    ...(main ? { main } : {}),
    scripts: {
      start: 'node dist/src/server.js',
      // Empty: the code is already compiled (an App Engine / Cloud Functions build would run `npm run build`).
      'gcp-build': '',
    },
    dependencies: original.dependencies,
    devDependencies: original.devDependencies,
  };
}

const GCLOUDIGNORE = `# Staged by scripts/deploy-gcp: everything here is meant to be uploaded, except what the build makes itself.
.gcloudignore
node_modules/
`;

export interface StageAppInput {
  readonly paths: LocalPaths;
  readonly movielens: MovielensSource;
  /** The rendered app.yaml (with the secret: written owner-only, and removed by clearStagedSecret). */
  readonly appYaml: string;
}

/** artifacts/deploy/app: dist/src, views, package files, movielens/<name>, app.yaml. Returns the folder. */
export async function stageApp({ paths, movielens, appYaml }: StageAppInput): Promise<string> {
  const dir = join(paths.outDir, 'app');
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  await copyDist(paths, dir, ['src']);
  await cp(join(paths.repoRoot, 'views'), join(dir, 'views'), { recursive: true });
  await writePackageFiles(paths, dir);
  const target = join(dir, 'movielens', movielens.name);
  await mkdir(target, { recursive: true });
  for (const file of movielensFiles(movielens)) await cp(join(movielens.dir, file.name), join(target, file.name));
  await writeFile(join(dir, '.gcloudignore'), GCLOUDIGNORE);
  await writeFile(join(dir, 'app.yaml'), appYaml, { mode: 0o600 });
  await chmod(join(dir, 'app.yaml'), 0o600);
  return dir;
}

/** After the deploy: the staged app.yaml keeps the placeholder instead of the secret. */
export async function clearStagedSecret(appYamlPath: string, secret: string, shownAs: string): Promise<void> {
  if (!existsSync(appYamlPath)) return;
  const text = await readFile(appYamlPath, 'utf8');
  await writeFile(appYamlPath, text.split(JSON.stringify(secret)).join(JSON.stringify(shownAs)), { mode: 0o600 });
}

/** artifacts/deploy/function: dist/src, dist/jobs, package files with main = dist/jobs/index.js. */
export async function stageFunction(paths: LocalPaths): Promise<string> {
  const dir = join(paths.outDir, 'function');
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  await copyDist(paths, dir, ['src', 'jobs']);
  await writePackageFiles(paths, dir, 'dist/jobs/index.js');
  await writeFile(join(dir, '.gcloudignore'), GCLOUDIGNORE);
  return dir;
}

/** The built files each deployment needs; missing ones mean the build did not run (the wrapper runs it). */
export function missingBuildOutput(paths: LocalPaths): string[] {
  return ['src/server.js', 'jobs/index.js'].map((file) => join(paths.distRoot, file)).filter((file) => !existsSync(file));
}

async function copyDist(paths: LocalPaths, dir: string, parts: readonly string[]): Promise<void> {
  for (const part of parts) {
    await cp(join(paths.distRoot, part), join(dir, 'dist', part), { recursive: true, filter: (source) => !source.endsWith('.map') });
  }
}

async function writePackageFiles(paths: LocalPaths, dir: string, main?: string): Promise<void> {
  const original = JSON.parse(await readFile(join(paths.repoRoot, 'package.json'), 'utf8')) as Record<string, unknown>;
  await writeFile(join(dir, 'package.json'), `${JSON.stringify(stagedPackageJson(original, main), null, 2)}\n`);
  await cp(join(paths.repoRoot, 'package-lock.json'), join(dir, 'package-lock.json'));
}

/** spark/moviehunter_als/*.py, sorted, in a zip with fixed times: the same sources give the same bytes. */
export function sparkPackageFiles(repoRoot: string): string[] {
  const dir = join(repoRoot, 'spark', 'moviehunter_als');
  if (!existsSync(dir)) throw new StagingError(`${dir} is missing: the Spark job's package`);
  return readdirSync(dir)
    .filter((name) => name.endsWith('.py'))
    .sort()
    .map((name) => join(dir, name));
}

export async function buildSparkZip(repoRoot: string, target: string): Promise<void> {
  const zip = new yazl.ZipFile();
  const mtime = new Date('2000-01-01T00:00:00Z');
  for (const file of sparkPackageFiles(repoRoot)) {
    zip.addBuffer(readFileSync(file), relative(join(repoRoot, 'spark'), file).split('\\').join('/'), { mtime, mode: 0o100644 });
  }
  zip.end();
  await mkdir(dirname(target), { recursive: true });
  await pipeline(zip.outputStream, createWriteStream(target));
}

/** Base64 MD5, as Cloud Storage reports an object's md5Hash. */
export function md5Base64(path: string): string {
  return createHash('md5').update(readFileSync(path)).digest('base64');
}
