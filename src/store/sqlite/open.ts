/** Opens (creating when missing) a SQLite store: WAL, foreign keys, busy timeout, schema migrated. */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
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
  const busyTimeoutMs = options.busyTimeoutMs ?? 5000;
  const deadline = Date.now() + busyTimeoutMs;
  for (;;) {
    let db: Database.Database;
    try {
      db = new Database(path, { timeout: busyTimeoutMs });
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
      // Web workers opening a new file at once: switching it to WAL or migrating it is refused at once (not waited
      // for) while another connection does the same, so try again until the busy timeout.
      if (isBusy(err) && Date.now() < deadline) {
        await sleep(BUSY_RETRY_MS);
        continue;
      }
      throw new StoreUnavailableError(`cannot prepare the SQLite database ${path}: ${(err as Error).message}`, { cause: err });
    }
  }
}

const BUSY_RETRY_MS = 25;

function isBusy(err: unknown): boolean {
  const code = (err as { code?: unknown }).code;
  return code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED' || (typeof code === 'string' && code.startsWith('SQLITE_BUSY_'));
}
