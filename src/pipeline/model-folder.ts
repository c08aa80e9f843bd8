/**
 * The model folder of the run-folder contract (docs/run-folder.md): manifest.json + item_factors.f32, read and written through
 * RunFolder, so a model on the local disk and one in Cloud Storage take the same path. The bytes are encoded and
 * decoded by ../recommend/artifact.ts (no I/O there); every error names the file that disagrees.
 */
import { basename, dirname, resolve } from 'node:path';
import { MANIFEST_FILE, encodeModel, formatManifest, modelFromManifest, parseManifest } from '../recommend/artifact.js';
import type { ItemFactorModel } from '../recommend/model.js';
import { openFolder, type FolderClients } from './folder-location.js';
import { utf8 } from './jsonl.js';
import { isGcsUri, parseGcsUri } from './run-files-gcs.js';
import type { RunFolder } from './run-files.js';

/**
 * Writes `dir`/item_factors.f32 then `dir`/manifest.json (e.g. dir "model"), each written whole (RunFolder.write),
 * so a reader sees either no manifest or a manifest whose factors are complete.
 * Meant for fresh folders (run folders are write-once): overwriting a model in place while a reader
 * loads it can pair the new factors with the old manifest; only a size mismatch would reveal that.
 */
export async function writeModel(folder: RunFolder, dir: string, model: ItemFactorModel): Promise<void> {
  const { manifest, factors } = encodeModel(model);
  await folder.write(`${dir}/${manifest.file}`, factors);
  await folder.write(`${dir}/${MANIFEST_FILE}`, formatManifest(manifest));
}

/** Reads and fully validates the model in `dir` of the folder. */
export async function readModel(folder: RunFolder, dir: string): Promise<ItemFactorModel> {
  const manifestName = folder.pathOf(`${dir}/${MANIFEST_FILE}`);
  const manifestBytes = await folder.read(`${dir}/${MANIFEST_FILE}`);
  if (manifestBytes === null) throw new Error(`${manifestName}: missing (no model was written)`);
  const manifest = parseManifest(utf8(manifestBytes, manifestName), manifestName);
  const factorsName = folder.pathOf(`${dir}/${manifest.file}`);
  const factors = await folder.read(`${dir}/${manifest.file}`);
  if (factors === null) throw new Error(`${factorsName}: missing, the manifest names it`);
  return modelFromManifest(manifest, factors, { manifest: manifestName, factors: factorsName });
}

/**
 * The model in the model folder at `location` (what the model pointer names: …/runs/<id>/model or DATA_DIR/models/base,
 * local or gs://); errors name location/manifest.json etc.
 */
export async function readModelAt(location: string, clients: FolderClients = {}): Promise<ItemFactorModel> {
  const { folder, dir } = modelFolderAt(location, clients);
  return readModel(folder, dir);
}

/** writeModel into the model folder at `location` (local or gs://). */
export async function writeModelAt(location: string, model: ItemFactorModel, clients: FolderClients = {}): Promise<void> {
  const { folder, dir } = modelFolderAt(location, clients);
  await writeModel(folder, dir, model);
}

/** A model folder as the folder above it and its name there: file names inside a RunFolder cannot be empty. */
function modelFolderAt(location: string, clients: FolderClients): { folder: RunFolder; dir: string } {
  if (isGcsUri(location)) {
    const { bucket, prefix } = parseGcsUri(location);
    if (prefix === '') throw new Error(`${location}: a model folder must be a folder inside the bucket, not the bucket itself`);
    const cut = prefix.lastIndexOf('/');
    const parent = cut === -1 ? `gs://${bucket}` : `gs://${bucket}/${prefix.slice(0, cut)}`;
    return { folder: openFolder(parent, clients), dir: prefix.slice(cut + 1) };
  }
  openFolder(location, clients); // refuses other schemes
  const dir = resolve(location);
  return { folder: openFolder(dirname(dir), clients), dir: basename(dir) };
}
