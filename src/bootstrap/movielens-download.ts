/**
 * Downloads a MovieLens zip into a temporary folder beside the target, extracts and verifies every expected file, and
 * only then renames the folder into place: a half-done download never looks complete, and a leftover temporary
 * folder (a crash, a kill) is removed by the next try.
 */
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { mkdir, mkdtemp, open, readdir, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { createProgress, type ProgressStream } from '../progress.js';
import type { MovielensDownloadSpec } from './movielens-files.js';
import { extractExpectedEntries, MovielensDownloadError } from './movielens-zip.js';

export { MovielensDownloadError } from './movielens-zip.js';

/** Where progress notes go; a pino logger fits. */
export interface MovielensLog {
  info(message: string): void;
  warn(message: string): void;
}

export interface DownloadOptions {
  readonly spec: MovielensDownloadSpec;
  /** The folder to make, e.g. DATA_DIR/ml-latest-small; its parent holds the temporary folder. */
  readonly target: string;
  /** The zip's address; spec.url unless given. */
  readonly url?: string;
  readonly fetch?: typeof fetch;
  /** The progress bar's stream; process.stderr unless given. */
  readonly progress?: ProgressStream;
  /** Gives up when no byte arrives for this long (connecting included). */
  readonly stallTimeoutMs?: number;
  /** Gives up when the whole download takes longer than this. */
  readonly timeoutMs?: number;
  /** A bigger zip is refused (Content-Length up front, else while it arrives). */
  readonly maxZipBytes?: number;
  readonly log?: MovielensLog;
}

export const DEFAULT_STALL_TIMEOUT_MS = 30_000;
export const DEFAULT_DOWNLOAD_TIMEOUT_MS = 15 * 60_000;
/** The real ml-latest-small.zip is about 1 MB. */
export const DEFAULT_MAX_ZIP_BYTES = 64 * 1024 * 1024;

const silent: MovielensLog = { info: () => {}, warn: () => {} };
/** Temporary folders of downloads running in this process, which the leftover clean-up must not touch. */
const active = new Set<string>();

/** Downloads, verifies and renames into place; returns the target. Throws MovielensDownloadError saying what failed. */
export async function downloadMovielens(options: DownloadOptions): Promise<string> {
  const { spec, target } = options;
  const log = options.log ?? silent;
  const parent = dirname(target);
  await mkdir(parent, { recursive: true });
  await removeLeftovers(parent, basename(target), log);
  const temp = await mkdtemp(join(parent, `${partialPrefix(basename(target))}${process.pid}-`));
  active.add(temp);
  try {
    const zipPath = join(temp, 'download.zip');
    await fetchToFile(options.url ?? spec.url, zipPath, options);
    const folder = join(temp, basename(target));
    await mkdir(folder);
    const extracted = await extractExpectedEntries(zipPath, folder, spec.files);
    const problems: string[] = [];
    for (const file of spec.files) {
      const got = extracted.get(file.name);
      if (!got) problems.push(`${file.name} is missing from the zip`);
      else if (got.bytes !== file.bytes) problems.push(`${file.name} has ${got.bytes} bytes, expected ${file.bytes}`);
      else if (got.sha256 !== file.sha256) problems.push(`${file.name} fails its checksum (SHA-256 ${got.sha256}, expected ${file.sha256})`);
    }
    if (problems.length > 0) throw new MovielensDownloadError(`the download is not the expected ${spec.name}: ${problems.join('; ')}`);
    log.info(`MovieLens: ${spec.files.length} files of ${spec.name} verified (size and SHA-256)`);
    try {
      await rename(folder, target);
    } catch (error) {
      // Another process finished first: theirs is as good as ours once it checks out.
      if (!isCode(error, 'EEXIST', 'ENOTEMPTY') || (await checkFolder(target, spec)).state !== 'complete') throw error;
    }
    return target;
  } finally {
    active.delete(temp);
    await rm(temp, { recursive: true, force: true });
  }
}

export type FolderCheck = { state: 'absent' } | { state: 'complete' } | { state: 'incomplete'; problems: string[] };

/**
 * Whether `dir` holds every expected file at its expected size (a stat each, no reading); with `hash`, also its
 * SHA-256. A folder this module made is always complete (it is renamed into place only after verification).
 */
export async function checkFolder(dir: string, spec: MovielensDownloadSpec, hash = false): Promise<FolderCheck> {
  try {
    if (!(await stat(dir)).isDirectory()) return { state: 'incomplete', problems: ['it is not a folder'] };
  } catch (error) {
    if (isCode(error, 'ENOENT')) return { state: 'absent' };
    throw error;
  }
  const problems: string[] = [];
  for (const file of spec.files) {
    const path = join(dir, file.name);
    try {
      const size = (await stat(path)).size;
      if (size !== file.bytes) problems.push(`${file.name} has ${size} bytes, expected ${file.bytes}`);
      else if (hash && (await sha256Of(path)) !== file.sha256) problems.push(`${file.name} fails its checksum`);
    } catch (error) {
      if (!isCode(error, 'ENOENT')) throw error;
      problems.push(`${file.name} is missing`);
    }
  }
  return problems.length === 0 ? { state: 'complete' } : { state: 'incomplete', problems };
}

async function sha256Of(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Temporary folders are `.<name>.partial-<pid>-<random>` beside the target. */
function partialPrefix(name: string): string {
  return `.${name}.partial-`;
}

/** Removes temporary folders left by downloads that died; those of live processes (or running here) are kept. */
async function removeLeftovers(parent: string, name: string, log: MovielensLog): Promise<void> {
  const prefix = partialPrefix(name);
  for (const entry of await readdir(parent)) {
    if (!entry.startsWith(prefix)) continue;
    const path = join(parent, entry);
    const pid = Number(entry.slice(prefix.length).split('-')[0]);
    if (active.has(path) || (pid !== process.pid && isAlive(pid))) continue;
    log.warn(`MovieLens: removing ${path}, left by an unfinished download`);
    await rm(path, { recursive: true, force: true });
  }
}

function isAlive(pid: number): boolean {
  if (!Number.isSafeInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return isCode(error, 'EPERM');
  }
}

/** Streams the response body to `path` with a progress bar, a stall guard, a deadline and a size cap. */
async function fetchToFile(url: string, path: string, options: DownloadOptions): Promise<void> {
  const fetchImpl = options.fetch ?? fetch;
  const stallMs = options.stallTimeoutMs ?? DEFAULT_STALL_TIMEOUT_MS;
  const maxBytes = options.maxZipBytes ?? DEFAULT_MAX_ZIP_BYTES;
  const controller = new AbortController();
  let abortReason: string | null = null;
  const abort = (reason: string): void => {
    abortReason ??= reason;
    controller.abort();
  };
  let stall = setTimeout(() => abort(`no data from the server for ${seconds(stallMs)}`), stallMs);
  const restartStall = (): void => {
    clearTimeout(stall);
    stall = setTimeout(() => abort(`the download stalled: no data for ${seconds(stallMs)}`), stallMs);
  };
  const timeoutMs = options.timeoutMs ?? DEFAULT_DOWNLOAD_TIMEOUT_MS;
  const deadline = setTimeout(() => abort(`the download took longer than ${seconds(timeoutMs)}`), timeoutMs);
  let finished = false;
  try {
    let response: Response;
    try {
      response = await fetchImpl(url, { signal: controller.signal, redirect: 'follow' });
    } catch (error) {
      throw new MovielensDownloadError(abortReason ?? `could not reach ${url} (${describe(error)})`);
    }
    if (!response.ok) {
      await response.body?.cancel().catch(() => {});
      throw new MovielensDownloadError(`${url} answered HTTP ${response.status}${response.statusText ? ` ${response.statusText}` : ''}`);
    }
    if (!response.body) throw new MovielensDownloadError(`${url} answered without a body`);
    // With a Content-Encoding, fetch decodes and Content-Length counts the encoded bytes: no total then.
    const encoding = response.headers.get('content-encoding');
    const length = Number(response.headers.get('content-length') ?? NaN);
    const total = Number.isSafeInteger(length) && length >= 0 && (!encoding || encoding === 'identity') ? length : null;
    if (total !== null && total > maxBytes) {
      controller.abort();
      throw new MovielensDownloadError(`${url} is ${total} bytes, more than the ${maxBytes} a MovieLens zip may have; refused`);
    }
    options.log?.info(`MovieLens: downloading ${url}${total !== null ? ` (${(total / 1e6).toFixed(1)} MB)` : ''}`);
    const started = Date.now();
    const label = basename(new URL(url).pathname) || 'download';
    // Content-Length known: a bar. Unknown: only a line at the end (a bar without a total would lie).
    const progress = total !== null ? createProgress({ label, total, unit: 'bytes', stream: options.progress }) : null;
    const reader: ReadableStreamDefaultReader<Uint8Array> = response.body.getReader();
    const file = await open(path, 'wx');
    let received = 0;
    try {
      for (;;) {
        const chunk = await reader.read().catch((error: unknown) => {
          const of = total !== null ? ` of ${total}` : '';
          throw new MovielensDownloadError(abortReason ?? `the connection broke after ${received}${of} bytes (${describe(error)})`);
        });
        if (chunk.done) break;
        restartStall();
        received += chunk.value.byteLength;
        if (received > maxBytes) {
          controller.abort();
          throw new MovielensDownloadError(`${url} sent more than the ${maxBytes} bytes a MovieLens zip may have; refused`);
        }
        await file.write(chunk.value);
        progress?.update(received);
      }
    } finally {
      await file.close();
    }
    if (total !== null && received !== total) throw new MovielensDownloadError(`the download ended after ${received} of ${total} bytes`);
    if (progress) progress.finish();
    else (options.progress ?? process.stderr).write(`${label} ${received} bytes in ${((Date.now() - started) / 1000).toFixed(1)}s done\n`);
    finished = true;
  } finally {
    clearTimeout(stall);
    clearTimeout(deadline);
    // Whatever went wrong, the connection is let go at once rather than left to the garbage collector.
    if (!finished) controller.abort();
  }
}

function seconds(ms: number): string {
  return ms >= 1000 ? `${Math.round(ms / 1000)} s` : `${ms} ms`;
}

/** fetch's errors hide the useful part in `cause` ("fetch failed" → "connect ECONNREFUSED 127.0.0.1:9"). */
function describe(error: unknown): string {
  const err = error as Error & { cause?: { message?: string; code?: string } };
  const cause = err.cause?.message ?? err.cause?.code;
  return cause ? `${err.message}: ${cause}` : String(err.message ?? error);
}

function isCode(error: unknown, ...codes: string[]): boolean {
  return codes.includes((error as NodeJS.ErrnoException | undefined)?.code ?? '');
}
