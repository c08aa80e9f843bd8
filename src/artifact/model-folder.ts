/** The model folder on disk (DESIGN.md run-folder contract): manifest.json + item_factors.f32, written atomically per file. */
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { MANIFEST_FILE, encodeModel, formatManifest, modelFromManifest, parseManifest } from '../recommend/artifact.js';
import type { ItemFactorModel } from '../recommend/model.js';

/**
 * Writes `dir`/item_factors.f32 then `dir`/manifest.json, each through a synced temp file and a rename,
 * so a reader sees either no manifest or a manifest whose factors are complete.
 * Meant for fresh folders (run folders are write-once): overwriting a model in place while a reader
 * loads it can pair the new factors with the old manifest; only a size mismatch would reveal that.
 */
export async function writeModelFolder(dir: string, model: ItemFactorModel): Promise<void> {
  const { manifest, factors } = encodeModel(model);
  await mkdir(dir, { recursive: true });
  await writeAtomically(join(dir, manifest.file), factors);
  await writeAtomically(join(dir, MANIFEST_FILE), new TextEncoder().encode(formatManifest(manifest)));
}

/** Reads and fully validates the model in `dir`; errors name the file that disagrees. */
export async function readModelFolder(dir: string): Promise<ItemFactorModel> {
  const manifestPath = join(dir, MANIFEST_FILE);
  const manifestText = await readFile(manifestPath, 'utf8').catch((err: NodeJS.ErrnoException) => {
    throw new Error(err.code === 'ENOENT' ? `${manifestPath}: no model here (manifest missing)` : `${manifestPath}: ${err.message}`);
  });
  const manifest = parseManifest(manifestText, manifestPath);
  const factorsPath = join(dir, manifest.file);
  const factors = await readFile(factorsPath).catch((err: NodeJS.ErrnoException) => {
    throw new Error(err.code === 'ENOENT' ? `${factorsPath}: missing, the manifest names it` : `${factorsPath}: ${err.message}`);
  });
  return modelFromManifest(manifest, factors, { manifest: manifestPath, factors: factorsPath });
}

/** Temp file in the same folder, fsync, rename over the target: the target is never half written. */
async function writeAtomically(path: string, bytes: Uint8Array): Promise<void> {
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
