/** The store chosen by STORE: SQLite in DATA_DIR (one machine) or Firestore (Google Cloud, or its emulator). */
import { join } from 'node:path';
import type { Config } from '../config.js';
import { openFirestoreStore } from '../store/firestore/index.js';
import { openSqliteStore, type Store } from '../store/index.js';

export async function openConfiguredStore(config: Pick<Config, 'STORE' | 'DATA_DIR' | 'GOOGLE_CLOUD_PROJECT'>): Promise<Store> {
  if (config.STORE === 'firestore') {
    if (!config.GOOGLE_CLOUD_PROJECT) throw new Error('STORE=firestore needs GOOGLE_CLOUD_PROJECT');
    return openFirestoreStore({ projectId: config.GOOGLE_CLOUD_PROJECT });
  }
  return openSqliteStore(join(config.DATA_DIR, 'moviehunter.sqlite'));
}
