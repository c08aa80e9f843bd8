/**
 * Numbered schema migrations: MIGRATIONS[i] takes the schema from version i to i + 1 (PRAGMA user_version).
 * Append only; never edit a migration that has shipped.
 */
import type Database from 'better-sqlite3';
import { SchemaUnsupportedError } from '../errors.js';

export const MIGRATIONS: readonly string[] = [
  // 1: users with their pick state, runs, recommendations, the tick lease, sessions.
  `
  CREATE TABLE runs (
    id             TEXT PRIMARY KEY,
    engine         TEXT NOT NULL,
    outcome        TEXT NOT NULL CHECK (outcome IN ('running', 'succeeded', 'failed')),
    created_at     INTEGER NOT NULL,
    lease_until    INTEGER NOT NULL,
    finished_at    INTEGER,
    users          INTEGER NOT NULL DEFAULT 0,
    ready_users    INTEGER NOT NULL DEFAULT 0,
    retried_users  INTEGER NOT NULL DEFAULT 0,
    failed_users   INTEGER NOT NULL DEFAULT 0,
    stale_results  INTEGER NOT NULL DEFAULT 0,
    error          TEXT,
    metrics        TEXT
  ) STRICT;
  CREATE INDEX runs_by_outcome ON runs (outcome, created_at);
  CREATE INDEX runs_by_created ON runs (created_at);

  CREATE TABLE users (
    id               TEXT PRIMARY KEY,
    username         TEXT NOT NULL,
    username_key     TEXT NOT NULL UNIQUE,
    email            TEXT NOT NULL,
    role             TEXT NOT NULL CHECK (role IN ('user', 'admin')),
    password_hash    TEXT NOT NULL,
    created_at       INTEGER NOT NULL,
    state            TEXT NOT NULL DEFAULT 'none' CHECK (state IN ('none', 'pending', 'running', 'ready', 'failed')),
    generation       INTEGER NOT NULL DEFAULT 0,
    picks            TEXT NOT NULL DEFAULT '[]',
    run_id           TEXT REFERENCES runs (id),
    attempts         INTEGER NOT NULL DEFAULT 0,
    error            TEXT,
    state_updated_at INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX users_by_state ON users (state, state_updated_at, id);
  CREATE INDEX users_by_run ON users (run_id) WHERE run_id IS NOT NULL;

  CREATE TABLE quick_recommendations (
    user_id    TEXT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    generation INTEGER NOT NULL,
    items      TEXT NOT NULL,
    created_at INTEGER NOT NULL
  ) STRICT;

  CREATE TABLE recommendations (
    user_id    TEXT PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    generation INTEGER NOT NULL,
    run_id     TEXT NOT NULL REFERENCES runs (id),
    items      TEXT NOT NULL,
    created_at INTEGER NOT NULL
  ) STRICT;

  CREATE TABLE tick_lease (
    name  TEXT PRIMARY KEY,
    owner TEXT NOT NULL,
    until INTEGER NOT NULL
  ) STRICT;

  CREATE TABLE sessions (
    sid        TEXT PRIMARY KEY,
    data       TEXT NOT NULL,
    expires_at INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX sessions_by_expiry ON sessions (expires_at);
  `,
  // 2: the poster cache (TMDB look-ups).
  `
  CREATE TABLE posters (
    movie_id   INTEGER PRIMARY KEY,
    path       TEXT,
    checked_at INTEGER NOT NULL
  ) STRICT;
  `,
  // 3: full recommendations keep every candidate with its because; older ones (48 without because) are recomputed.
  `
  UPDATE users SET state = 'pending', attempts = 0, error = NULL
    WHERE state = 'ready' AND id IN (SELECT user_id FROM recommendations WHERE json_extract(items, '$[0].because') IS NULL);
  DELETE FROM recommendations WHERE json_extract(items, '$[0].because') IS NULL;
  `,
  // 4: the user's "familiar ↔ discover" step by name (NULL until chosen); the scorer of the stored quick recommendations.
  `
  ALTER TABLE users ADD COLUMN discovery_step TEXT;
  ALTER TABLE quick_recommendations ADD COLUMN method TEXT;
  `,
  // 5: a run can end `interrupted` (a shutdown or a crash of the app, no attempt spent). SQLite cannot change a CHECK
  // in place, so runs is rebuilt (migrate() turns foreign keys off around it and checks them before committing).
  `
  CREATE TABLE runs_v5 (
    id             TEXT PRIMARY KEY,
    engine         TEXT NOT NULL,
    outcome        TEXT NOT NULL CHECK (outcome IN ('running', 'succeeded', 'failed', 'interrupted')),
    created_at     INTEGER NOT NULL,
    lease_until    INTEGER NOT NULL,
    finished_at    INTEGER,
    users          INTEGER NOT NULL DEFAULT 0,
    ready_users    INTEGER NOT NULL DEFAULT 0,
    retried_users  INTEGER NOT NULL DEFAULT 0,
    failed_users   INTEGER NOT NULL DEFAULT 0,
    stale_results  INTEGER NOT NULL DEFAULT 0,
    error          TEXT,
    metrics        TEXT
  ) STRICT;
  INSERT INTO runs_v5 SELECT id, engine, outcome, created_at, lease_until, finished_at, users, ready_users, retried_users,
    failed_users, stale_results, error, metrics FROM runs;
  DROP TABLE runs;
  ALTER TABLE runs_v5 RENAME TO runs;
  CREATE INDEX runs_by_outcome ON runs (outcome, created_at);
  CREATE INDEX runs_by_created ON runs (created_at);
  `,
  // 6: each user's reactions to movies (seen with an optional rating, not interested, watchlist), one per movie; quick
  // lists stored before migration 4 (no scorer) held only their 12, nothing to replace a reacted movie from: recomputed
  // on the next read.
  `
  DELETE FROM quick_recommendations WHERE method IS NULL;
  CREATE TABLE reactions (
    user_id    TEXT NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    movie_id   INTEGER NOT NULL,
    kind       TEXT NOT NULL CHECK (kind IN ('seen', 'not_interested', 'watchlist')),
    rating     INTEGER CHECK (rating IS NULL OR (kind = 'seen' AND rating BETWEEN 1 AND 5)),
    updated_at INTEGER NOT NULL,
    PRIMARY KEY (user_id, movie_id)
  ) STRICT;
  `,
  // 7: the rate limits' counts and the addresses each account logged in from, shared by every web process.
  `
  CREATE TABLE attempts (
    key        TEXT PRIMARY KEY,
    count      INTEGER NOT NULL CHECK (count >= 0),
    last_at    INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
  ) STRICT;
  CREATE INDEX attempts_by_expiry ON attempts (expires_at);
  CREATE TABLE login_addresses (
    account TEXT NOT NULL,
    address TEXT NOT NULL,
    last_at INTEGER NOT NULL,
    PRIMARY KEY (account, address)
  ) STRICT;
  `,
];

export const SCHEMA_VERSION = MIGRATIONS.length;

/**
 * Brings the schema to SCHEMA_VERSION in one immediate transaction, so concurrent openers migrate once. Foreign keys
 * are off meanwhile (a table rebuild drops a referenced table; SQLite only lets that pragma change outside a
 * transaction) and every reference is checked before the commit.
 */
export function migrate(db: Database.Database): number {
  const foreignKeys = db.pragma('foreign_keys', { simple: true }) as number;
  db.pragma('foreign_keys = OFF');
  try {
    return migrateInTransaction(db);
  } finally {
    db.pragma(`foreign_keys = ${foreignKeys === 1 ? 'ON' : 'OFF'}`);
  }
}

function migrateInTransaction(db: Database.Database): number {
  return db.transaction(() => {
    const current = db.pragma('user_version', { simple: true }) as number;
    if (current > SCHEMA_VERSION) {
      throw new SchemaUnsupportedError(`database schema version ${current} is newer than this code knows (${SCHEMA_VERSION})`);
    }
    for (let version = current; version < SCHEMA_VERSION; version++) db.exec(MIGRATIONS[version]);
    const broken = db.pragma('foreign_key_check') as unknown[];
    if (broken.length > 0) throw new Error(`the migration left ${broken.length} broken references: ${JSON.stringify(broken.slice(0, 3))}`);
    if (current !== SCHEMA_VERSION) db.pragma(`user_version = ${SCHEMA_VERSION}`);
    return SCHEMA_VERSION;
  }).immediate();
}
