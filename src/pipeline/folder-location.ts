/** Opens a run or model folder from its location string: gs://bucket/prefix in Cloud Storage, else a local folder. */
import type { Storage } from '@google-cloud/storage';
import { basename, dirname, resolve } from 'node:path';
import type { ItemFactorModel } from '../recommend/model.js';
import { gcsRunFolder, isGcsUri, parseGcsUri } from './run-files-gcs.js';
import { localRunFolder, type RunFolder } from './run-files.js';
import { readRunModel } from './run-model.js';

export interface FolderClients {
  /** Needed only for gs:// locations. */
  readonly storage?: Storage;
}

/**
 * The folder at `location`: gs://… through the given Storage client (an error if none was given), any other
 * scheme (s3://, https://…) an error rather than a local folder of that name, and everything else a local path.
 */
export function openFolder(location: string, clients: FolderClients = {}): RunFolder {
  if (isGcsUri(location)) {
    if (clients.storage === undefined) {
      throw new Error(`${location} is in Cloud Storage, but no Cloud Storage client was given to open it`);
    }
    return gcsRunFolder(clients.storage, location);
  }
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(location);
  if (scheme !== null) throw new Error(`${location}: ${scheme[1]}:// folders are not supported (only gs:// and local paths)`);
  return localRunFolder(location);
}

/**
 * The model in the model folder at `location` (what the model pointer names: …/runs/<id>/model, local or gs://),
 * read and validated by readRunModel through the folder above it; errors name location/manifest.json etc.
 */
export async function readModelAt(location: string, clients: FolderClients = {}): Promise<ItemFactorModel> {
  if (isGcsUri(location)) {
    const { bucket, prefix } = parseGcsUri(location);
    if (prefix === '') throw new Error(`${location}: a model folder must be a folder inside the bucket, not the bucket itself`);
    const cut = prefix.lastIndexOf('/');
    const parent = cut === -1 ? `gs://${bucket}` : `gs://${bucket}/${prefix.slice(0, cut)}`;
    return readRunModel(openFolder(parent, clients), prefix.slice(cut + 1));
  }
  openFolder(location, clients); // refuses other schemes
  const dir = resolve(location);
  return readRunModel(openFolder(dirname(dir), clients), basename(dir));
}
