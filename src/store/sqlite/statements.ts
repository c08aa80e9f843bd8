/** Every SQL statement of the SQLite adapter, prepared once per connection. */
import type Database from 'better-sqlite3';
import type { AttemptRow, PendingRow, PosterRow, QuickRow, ReactionRow, RecommendationsRow, RunRow, RunUserRow, StatusRow, UserRow } from './rows.js';
import type { RunOutcome, UserState } from '../store.js';

const USER_COLUMNS = 'id, username, email, role, created_at';
const STATUS_COLUMNS = 'state, generation, picks, run_id, attempts, error, state_updated_at';
const TICK_LEASE = "'tick'";

export type Statements = ReturnType<typeof prepareStatements>;

export function prepareStatements(db: Database.Database) {
  return {
    ping: db.prepare<[], number>('SELECT 1').pluck(),

    insertUser: db.prepare<{ id: string; username: string; key: string; email: string; role: string; hash: string; now: number }>(
      `INSERT INTO users (id, username, username_key, email, role, password_hash, created_at, state_updated_at)
       VALUES (@id, @username, @key, @email, @role, @hash, @now, @now)`,
    ),
    userByKey: db.prepare<[string], UserRow>(`SELECT ${USER_COLUMNS} FROM users WHERE username_key = ?`),
    userById: db.prepare<[string], UserRow>(`SELECT ${USER_COLUMNS} FROM users WHERE id = ?`),
    setRole: db.prepare<{ id: string; role: string }>('UPDATE users SET role = @role WHERE id = @id'),
    passwordHash: db.prepare<[string], string>('SELECT password_hash FROM users WHERE id = ?').pluck(),
    statusById: db.prepare<[string], StatusRow>(`SELECT ${STATUS_COLUMNS} FROM users WHERE id = ?`),
    // Claims take pending users by (state_updated_at, id): the users ahead are those before this one in that order.
    pendingAhead: db.prepare<{ at: number; id: string }, number>(
      `SELECT COUNT(*) FROM users WHERE state = 'pending'
         AND (state_updated_at < @at OR (state_updated_at = @at AND id < @id))`,
    ).pluck(),
    anyPending: db.prepare<[], number>("SELECT 1 FROM users WHERE state = 'pending' LIMIT 1").pluck(),
    countByState: db.prepare<[], { state: UserState; n: number }>('SELECT state, COUNT(*) AS n FROM users GROUP BY state'),
    savePicks: db.prepare<{ id: string; picks: string; now: number }>(
      `UPDATE users SET state = 'pending', generation = generation + 1, picks = @picks, run_id = NULL, attempts = 0,
         error = NULL, state_updated_at = @now
       WHERE id = @id`,
    ),

    settingsById: db.prepare<[string], { discovery_step: string | null }>('SELECT discovery_step FROM users WHERE id = ?'),
    saveSettings: db.prepare<{ id: string; discoveryStep: string | null }>('UPDATE users SET discovery_step = @discoveryStep WHERE id = @id'),
    reactionOf: db.prepare<[string, number], ReactionRow>(
      'SELECT movie_id, kind, rating, updated_at FROM reactions WHERE user_id = ? AND movie_id = ?',
    ),
    reactionsOf: db.prepare<[string], ReactionRow>(
      'SELECT movie_id, kind, rating, updated_at FROM reactions WHERE user_id = ? ORDER BY updated_at DESC, movie_id',
    ),
    upsertReaction: db.prepare<{ userId: string; movieId: number; kind: string; rating: number | null; now: number }>(
      `INSERT INTO reactions (user_id, movie_id, kind, rating, updated_at) VALUES (@userId, @movieId, @kind, @rating, @now)
       ON CONFLICT (user_id, movie_id) DO UPDATE SET kind = excluded.kind, rating = excluded.rating, updated_at = excluded.updated_at`,
    ),
    deleteReaction: db.prepare<[string, number]>('DELETE FROM reactions WHERE user_id = ? AND movie_id = ?'),
    // A reaction the batch run learns from makes the user's results due again; recommendations and generation stay.
    requeue: db.prepare<{ id: string; now: number }>(
      `UPDATE users SET state = 'pending', run_id = NULL, attempts = 0, error = NULL, state_updated_at = @now
       WHERE id = @id AND state IN ('ready', 'running', 'failed')`,
    ),

    deleteQuick: db.prepare<[string]>('DELETE FROM quick_recommendations WHERE user_id = ?'),
    upsertQuick: db.prepare<{ userId: string; generation: number; items: string; now: number; method: string }>(
      `INSERT INTO quick_recommendations (user_id, generation, items, created_at, method) VALUES (@userId, @generation, @items, @now, @method)
       ON CONFLICT (user_id) DO UPDATE SET generation = excluded.generation, items = excluded.items, created_at = excluded.created_at,
         method = excluded.method`,
    ),
    quickByUser: db.prepare<[string], QuickRow>('SELECT generation, items, created_at, method FROM quick_recommendations WHERE user_id = ?'),
    deleteRecommendations: db.prepare<[string]>('DELETE FROM recommendations WHERE user_id = ?'),
    upsertRecommendations: db.prepare<{ userId: string; generation: number; runId: string; items: string; now: number }>(
      `INSERT INTO recommendations (user_id, generation, run_id, items, created_at) VALUES (@userId, @generation, @runId, @items, @now)
       ON CONFLICT (user_id) DO UPDATE SET generation = excluded.generation, run_id = excluded.run_id, items = excluded.items,
         created_at = excluded.created_at`,
    ),
    recommendationsByUser: db.prepare<[string], RecommendationsRow>(
      'SELECT generation, items, run_id, created_at FROM recommendations WHERE user_id = ?',
    ),

    // Takes the lease when free, expired, or already ours (a renewal): one statement, so atomic across connections.
    acquireLease: db.prepare<{ owner: string; now: number; until: number }>(
      `INSERT INTO tick_lease (name, owner, until) VALUES (${TICK_LEASE}, @owner, @until)
       ON CONFLICT (name) DO UPDATE SET owner = excluded.owner, until = excluded.until
       WHERE tick_lease.owner = excluded.owner OR tick_lease.until <= @now`,
    ),
    releaseLease: db.prepare<[string]>(`DELETE FROM tick_lease WHERE name = ${TICK_LEASE} AND owner = ?`),

    insertRun: db.prepare<{ id: string; engine: string; now: number; leaseUntil: number }>(
      `INSERT INTO runs (id, engine, outcome, created_at, lease_until) VALUES (@id, @engine, 'running', @now, @leaseUntil)`,
    ),
    runById: db.prepare<[string], RunRow>('SELECT * FROM runs WHERE id = ?'),
    extendRunLease: db.prepare<[number, string]>("UPDATE runs SET lease_until = ? WHERE id = ? AND outcome = 'running'"),
    addRunUsers: db.prepare<[number, string]>('UPDATE runs SET users = users + ? WHERE id = ?'),
    finishRun: db.prepare<{
      id: string;
      outcome: RunOutcome;
      now: number;
      ready: number;
      retried: number;
      failed: number;
      stale: number;
      error: string | null;
      metrics: string | null;
    }>(
      `UPDATE runs SET outcome = @outcome, finished_at = @now, ready_users = @ready, retried_users = @retried,
         failed_users = @failed, stale_results = @stale, error = @error, metrics = @metrics
       WHERE id = @id AND outcome = 'running'`,
    ),
    activeRuns: db.prepare<[], RunRow>("SELECT * FROM runs WHERE outcome = 'running' ORDER BY created_at, id"),
    expiredRunIds: db.prepare<[number], string>(
      "SELECT id FROM runs WHERE outcome = 'running' AND lease_until <= ? ORDER BY created_at, id",
    ).pluck(),
    recentRuns: db.prepare<[number], RunRow>('SELECT * FROM runs ORDER BY created_at DESC, id DESC LIMIT ?'),

    oldestPending: db.prepare<[number], PendingRow>(
      "SELECT id, generation, picks FROM users WHERE state = 'pending' ORDER BY state_updated_at, id LIMIT ?",
    ),
    markRunning: db.prepare<{ id: string; runId: string; now: number }>(
      "UPDATE users SET state = 'running', run_id = @runId, state_updated_at = @now WHERE id = @id AND state = 'pending'",
    ),
    runningInRun: db.prepare<[string], RunUserRow>(
      "SELECT id, generation, attempts FROM users WHERE run_id = ? AND state = 'running'",
    ),
    markReady: db.prepare<{ id: string; now: number }>(
      "UPDATE users SET state = 'ready', run_id = NULL, attempts = 0, error = NULL, state_updated_at = @now WHERE id = @id",
    ),
    markRequeued: db.prepare<{ id: string; now: number }>(
      "UPDATE users SET state = 'pending', run_id = NULL, state_updated_at = @now WHERE id = @id",
    ),
    markRetried: db.prepare<{ id: string; state: UserState; attempts: number; error: string; now: number }>(
      'UPDATE users SET state = @state, run_id = NULL, attempts = @attempts, error = @error, state_updated_at = @now WHERE id = @id',
    ),

    posterById: db.prepare<[number], PosterRow>('SELECT movie_id, path, checked_at FROM posters WHERE movie_id = ?'),
    upsertPoster: db.prepare<{ movieId: number; path: string | null; checkedAt: number }>(
      `INSERT INTO posters (movie_id, path, checked_at) VALUES (@movieId, @path, @checkedAt)
       ON CONFLICT (movie_id) DO UPDATE SET path = excluded.path, checked_at = excluded.checked_at`,
    ),

    getSession: db.prepare<[string, number], string>('SELECT data FROM sessions WHERE sid = ? AND expires_at > ?').pluck(),
    setSession: db.prepare<[string, string, number]>(
      `INSERT INTO sessions (sid, data, expires_at) VALUES (?, ?, ?)
       ON CONFLICT (sid) DO UPDATE SET data = excluded.data, expires_at = excluded.expires_at`,
    ),
    touchSession: db.prepare<[number, string]>('UPDATE sessions SET expires_at = ? WHERE sid = ?'),
    destroySession: db.prepare<[string]>('DELETE FROM sessions WHERE sid = ?'),
    pruneSessions: db.prepare<[number]>('DELETE FROM sessions WHERE expires_at <= ?'),

    // One statement, so concurrent counts from several processes are all counted.
    countAttempt: db.prepare<{ key: string; now: number; windowMs: number; sliding: number }, AttemptRow>(
      `INSERT INTO attempts (key, count, last_at, expires_at) VALUES (@key, 1, @now, @now + @windowMs)
       ON CONFLICT (key) DO UPDATE SET
         count = CASE WHEN expires_at <= @now THEN 1 ELSE count + 1 END,
         expires_at = CASE WHEN expires_at <= @now OR @sliding = 1 THEN @now + @windowMs ELSE expires_at END,
         last_at = @now
       RETURNING count, last_at, expires_at`,
    ),
    getAttempts: db.prepare<[string, number], AttemptRow>('SELECT count, last_at, expires_at FROM attempts WHERE key = ? AND expires_at > ?'),
    uncountAttempt: db.prepare<[string, number]>('UPDATE attempts SET count = max(count - 1, 0) WHERE key = ? AND expires_at > ?'),
    clearAttempts: db.prepare<[string]>('DELETE FROM attempts WHERE key = ?'),
    pruneAttempts: db.prepare<[number]>('DELETE FROM attempts WHERE expires_at <= ?'),
    upsertLoginAddress: db.prepare<{ account: string; address: string; now: number }>(
      `INSERT INTO login_addresses (account, address, last_at) VALUES (@account, @address, @now)
       ON CONFLICT (account, address) DO UPDATE SET last_at = excluded.last_at`,
    ),
    // The address just remembered is always kept, then the most recent ones.
    trimLoginAddresses: db.prepare<{ account: string; address: string; keep: number }>(
      `DELETE FROM login_addresses WHERE account = @account AND address NOT IN (
         SELECT address FROM login_addresses WHERE account = @account ORDER BY address = @address DESC, last_at DESC LIMIT @keep)`,
    ),
    knownLoginAddress: db.prepare<[string, string], number>('SELECT 1 FROM login_addresses WHERE account = ? AND address = ?').pluck(),
  };
}
