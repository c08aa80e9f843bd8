/** A model folder read through RunFolder (local or, later, Cloud Storage) with the artifact's own full validation. */
import { MANIFEST_FILE, modelFromManifest, parseManifest } from '../recommend/artifact.js';
import type { ItemFactorModel } from '../recommend/model.js';
import { utf8 } from './jsonl.js';
import type { RunFolder } from './run-files.js';

/** The model in `dir` (e.g. "model") of the folder; every disagreement names the file, as readModelFolder does. */
export async function readRunModel(folder: RunFolder, dir: string): Promise<ItemFactorModel> {
  const manifestName = folder.pathOf(`${dir}/${MANIFEST_FILE}`);
  const manifestBytes = await folder.read(`${dir}/${MANIFEST_FILE}`);
  if (manifestBytes === null) throw new Error(`${manifestName}: missing (no model was written)`);
  const manifest = parseManifest(utf8(manifestBytes, manifestName), manifestName);
  const factorsName = folder.pathOf(`${dir}/${manifest.file}`);
  const factors = await folder.read(`${dir}/${manifest.file}`);
  if (factors === null) throw new Error(`${factorsName}: missing, the manifest names it`);
  return modelFromManifest(manifest, factors, { manifest: manifestName, factors: factorsName });
}
