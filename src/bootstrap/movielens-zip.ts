/** Extracts the expected files of a MovieLens zip, and nothing else, safely: names checked, sizes capped, hashed. */
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import yauzl, { type Entry, type ZipFile } from 'yauzl';
import type { ExpectedFile } from './movielens-files.js';

/** A download or extraction step that failed; the message says what, for one line of the final error. */
export class MovielensDownloadError extends Error {
  override name = 'MovielensDownloadError';
}

export interface ExtractedFile {
  readonly bytes: number;
  readonly sha256: string;
}

/** More entries than any MovieLens zip has: a bigger central directory is refused before it is walked. */
const MAX_ENTRIES = 1000;

/**
 * Writes each expected file found in the zip (at its top level or inside one folder, as `ml-latest-small/movies.csv`)
 * to `destDir/<name>`, and returns what was written with its size and SHA-256. Refuses the whole zip when any entry
 * name is absolute or climbs with `..`, when an expected entry is there twice, is encrypted, or is (or inflates to)
 * more bytes than expected — so a zip bomb stops at the expected size. Other entries are skipped unread. Output file
 * names come from the expected list, never from the zip.
 */
export async function extractExpectedEntries(zipPath: string, destDir: string, files: readonly ExpectedFile[]): Promise<Map<string, ExtractedFile>> {
  const expected = new Map(files.map((file) => [file.name, file]));
  const extracted = new Map<string, ExtractedFile>();
  let zip: ZipFile;
  try {
    // strictFileNames: backslashes are refused; yauzl itself refuses absolute and `..` names (validateFileName).
    zip = await yauzl.openPromise(zipPath, { autoClose: false, strictFileNames: true, validateEntrySizes: true });
  } catch (error) {
    throw new MovielensDownloadError(`the downloaded file is not a readable zip (${(error as Error).message})`);
  }
  try {
    if (zip.entryCount > MAX_ENTRIES) throw new MovielensDownloadError(`the zip holds ${zip.entryCount} entries, more than ${MAX_ENTRIES}; refused`);
    try {
      for await (const entry of zip.eachEntry()) {
        const name = entry.fileName;
        const unsafe = unsafeNameReason(name);
        if (unsafe) throw new MovielensDownloadError(`the zip holds an unsafe entry name (${unsafe}); refused`);
        const file = expected.get(expectedNameOf(name) ?? '');
        if (!file) continue;
        if (extracted.has(file.name)) throw new MovielensDownloadError(`the zip holds ${file.name} twice; refused`);
        if (!entry.canDecodeFileData()) throw new MovielensDownloadError(`${name} in the zip is encrypted or uses an unsupported compression; refused`);
        if (entry.uncompressedSize > file.bytes) {
          throw new MovielensDownloadError(`${name} in the zip is larger than expected (${entry.uncompressedSize} bytes, expected ${file.bytes}); refused`);
        }
        extracted.set(file.name, await extractEntry(zip, entry, join(destDir, file.name), file.bytes));
      }
    } catch (error) {
      if (error instanceof MovielensDownloadError) throw error;
      const message = (error as Error).message;
      if (/absolute path|invalid relative path|invalid characters in fileName/.test(message)) {
        throw new MovielensDownloadError(`the zip holds an unsafe entry name (${message}); refused`);
      }
      throw new MovielensDownloadError(`the zip is damaged (${message})`);
    }
  } finally {
    if (zip.isOpen) zip.close();
  }
  return extracted;
}

/** Why a zip entry name must not be used (absolute, a drive letter, a `..` segment, a backslash), or null when safe. */
export function unsafeNameReason(name: string): string | null {
  if (name.includes('\\')) return `backslash in ${JSON.stringify(name)}`;
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) return `absolute path ${JSON.stringify(name)}`;
  if (name.split('/').includes('..')) return `"..": ${JSON.stringify(name)}`;
  return null;
}

/** `movies.csv` or `<one folder>/movies.csv` → `movies.csv`; anything deeper, or a folder entry, → null. */
function expectedNameOf(entryName: string): string | null {
  const parts = entryName.split('/');
  if (parts.length > 2 || parts[parts.length - 1] === '') return null;
  return parts[parts.length - 1];
}

async function extractEntry(zip: ZipFile, entry: Entry, path: string, limit: number): Promise<ExtractedFile> {
  const hash = createHash('sha256');
  let bytes = 0;
  const meter = new Transform({
    transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
      bytes += chunk.length;
      if (bytes > limit) {
        callback(new MovielensDownloadError(`${entry.fileName} in the zip inflates to more than the expected ${limit} bytes; refused`));
        return;
      }
      hash.update(chunk);
      callback(null, chunk);
    },
  });
  const input = await zip.openReadStreamPromise(entry);
  // 'wx': the folder is fresh, so an existing file would mean something is wrong.
  await pipeline(input, meter, createWriteStream(path, { flags: 'wx' }));
  return { bytes, sha256: hash.digest('hex') };
}
