/** Opens a run or model folder from its location string: gs://bucket/prefix in Cloud Storage, else a local folder. */
import type { Storage } from '@google-cloud/storage';
import { gcsRunFolder, isGcsUri } from './run-files-gcs.js';
import { localRunFolder, type RunFolder } from './run-files.js';

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

