/** Opens (creating when missing) a SQLite store: WAL, foreign keys, busy timeout, schema migrated. */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { StoreError, StoreUnavailableError } from '../errors.js';
import type { Store } from '../store.js';
import { validatingStore } from '../validating-store.js';
import { migrate } from './migrations.js';
import { SqliteStore } from './sqlite-store.js';

export interface SqliteStoreOptions {
  /** How long a write waits for another connection's lock before failing; 5 s unless given. */
  busyTimeoutMs?: number;
}

export const MEMORY = ':memory:';

/**
 * A store on the database file at `path` (its folder is created), or a private in-memory one for ':memory:';
 * behind validatingStore, like every adapter.
 */
export async function openSqliteStore(path: string, options: SqliteStoreOptions = {}): Promise<Store> {
  if (path !== MEMORY) mkdirSync(dirname(path), { recursive: true });
  let db: Database.Database;
  try {
    db = new Database(path, { timeout: options.busyTimeoutMs ?? 5000 });
  } catch (err) {
    throw new StoreUnavailableError(`cannot open the SQLite database ${path}: ${(err as Error).message}`, { cause: err });
  }
  try {
    db.pragma('journal_mode = WAL');
    // WAL makes NORMAL durable against application crashes; only a power loss may drop the last commits.
    db.pragma('synchronous = NORMAL');
    db.pragma('foreign_keys = ON');
    migrate(db);
    return validatingStore(new SqliteStore(db));
  } catch (err) {
    db.close();
    if (err instanceof StoreError) throw err;
    throw new StoreUnavailableError(`cannot prepare the SQLite database ${path}: ${(err as Error).message}`, { cause: err });
  }
}
