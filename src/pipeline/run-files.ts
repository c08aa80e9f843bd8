/**
 * A run folder's files by name ('picks.jsonl', 'model/manifest.json'), behind one small interface so the tick,
 * the engines and the model loader do not care where the folder lives: a local folder here, Cloud Storage in
 * ./run-files-gcs.ts (./folder-location.ts opens either from a location string).
 */
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm, stat } from 'node:fs/promises';
import { dirname, isAbsolute, join, resolve } from 'node:path';

export interface RunFolder {
  /** The folder itself: an absolute path (local) or a URI (gs://…); engines are handed this. */
  readonly location: string;
  /** The whole file, or null when it does not exist. */
  read(name: string): Promise<Uint8Array | null>;
  /** Replaces the whole file; a reader sees the old content or the new one, never a part. */
  write(name: string, content: Uint8Array | string): Promise<void>;
  exists(name: string): Promise<boolean>;
  /** Where one file is (location/name): for error messages and for pointing at a model. */
  pathOf(name: string): string;
}

/** Where run folders are kept: one folder per run id. */
export interface RunFolders {
  folder(runId: string): RunFolder;
}

/** Run ids become folder names: nothing that could climb out of the runs folder (shared by every RunFolders). */
export const SAFE_ID = /^[A-Za-z0-9_-][A-Za-z0-9._-]{0,127}$/;

/** The run id, or an error when it could not name a folder (SAFE_ID). */
export function checkRunId(runId: string): string {
  if (!SAFE_ID.test(runId)) throw new Error(`run id ${JSON.stringify(runId)} cannot name a folder`);
  return runId;
}

/**
 * A file name inside a run folder ('params.json', 'model/manifest.json'): relative, '/'-separated, no empty,
 * '.' or '..' parts, so it means the same file on a disk and in a bucket (where 'a/./b' would be another object).
 */
export function checkFileName(name: string): string {
  if (isAbsolute(name) || name.split(/[/\\]/).some((part) => part === '..' || part === '.' || part === '')) {
    throw new Error(`${JSON.stringify(name)} is not a file name inside the run folder`);
  }
  return name;
}

/** Run folders under `runsDir` on the local disk (DATA_DIR/runs). */
export function localRunFolders(runsDir: string): RunFolders {
  const root = resolve(runsDir);
  return {
    folder(runId) {
      return localRunFolder(join(root, checkRunId(runId)));
    },
  };
}

/** A run folder on the local disk; `dir` is made absolute. */
export function localRunFolder(dir: string): RunFolder {
  const location = resolve(dir);
  const pathOf = (name: string): string => join(location, checkFileName(name));
  return {
    location,
    pathOf,
    async read(name) {
      try {
        return await readFile(pathOf(name));
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
        throw err;
      }
    },
    async write(name, content) {
      await writeAtomically(pathOf(name), typeof content === 'string' ? new TextEncoder().encode(content) : content);
    },
    async exists(name) {
      try {
        await stat(pathOf(name));
        return true;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
        throw err;
      }
    },
  };
}

/** Temp file beside the target, fsync, rename: `_SUCCESS` and its outputs are never seen half written. */
async function writeAtomically(path: string, bytes: Uint8Array): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  const temp = `${path}.tmp-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    const handle = await open(temp, 'w');
    try {
      await handle.writeFile(bytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temp, path);
  } catch (err) {
    await rm(temp, { force: true });
    throw err;
  }
}
