/**
 * The Store port on better-sqlite3, opened behind validatingStore (open.ts), so every argument arrives checked.
 * Its calls are synchronous, so each method runs whole within one turn of the event loop; writes that touch several
 * rows run in IMMEDIATE transactions so they are atomic across connections and processes too (the write lock is taken
 * up front, which also avoids WAL's busy-snapshot upgrade failures).
 */
import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import {
  RunExistsError,
  RunNotActiveError,
  RunNotFoundError,
  StoreUnavailableError,
  UserNotFoundError,
  UsernameTakenError,
} from '../errors.js';
import { changesTraining } from '../reaction-change.js';
import { USER_STATES } from '../store.js';
import type {
  AttemptCount,
  ClaimedUser,
  CompleteRunOptions,
  NewReaction,
  NewRun,
  NewUser,
  PosterRecord,
  QueuedUserStatus,
  QuickItem,
  QuickRecommendations,
  Reaction,
  Recommendations,
  Role,
  RunRecord,
  RunResult,
  SessionData,
  Store,
  User,
  UserSettings,
  UserState,
  UserStatus,
} from '../store.js';
import { usernameKey } from '../validate.js';
import { toAttempts, toPoster, toQuick, toReaction, toRecommendations, toRun, toStatus, toUser } from './rows.js';
import type { RunRow, RunUserRow } from './rows.js';
import { prepareStatements } from './statements.js';
import type { Statements } from './statements.js';

/** Why users of a completed run without a result are retried. */
const NO_RESULT = 'the run returned no recommendations for this user';
const LEASE_EXPIRED = 'lease expired';

interface Tally {
  retried: number;
  failed: number;
}

export class SqliteStore implements Store {
  private readonly db: Database.Database;
  private readonly statements: Statements;
  /** One transaction wrapper for every atomic change, created once: it runs the function it is given. */
  private readonly transaction: Database.Transaction<(work: () => unknown) => unknown>;

  constructor(db: Database.Database) {
    this.db = db;
    this.statements = prepareStatements(db);
    this.transaction = db.transaction((work: () => unknown) => work());
  }

  /** The prepared statements of an open connection; StoreUnavailableError once closed. */
  private get sql(): Statements {
    if (!this.db.open) throw new StoreUnavailableError('the SQLite store is closed');
    return this.statements;
  }

  /** Runs `work` in an IMMEDIATE transaction (all or nothing, write lock held throughout). */
  private atomically<T>(work: () => T): T {
    if (!this.db.open) throw new StoreUnavailableError('the SQLite store is closed');
    return this.transaction.immediate(work) as T;
  }

  async createUser(input: NewUser): Promise<User> {
    const user = input as Required<NewUser>; // validatingStore has filled in the default role
    const id = randomUUID();
    try {
      this.sql.insertUser.run({
        id,
        username: user.username,
        key: usernameKey(user.username),
        email: user.email,
        role: user.role,
        hash: user.passwordHash,
        now: user.now,
      });
    } catch (err) {
      // The unique index decides, so two racing sign-ups cannot both pass a check-then-insert.
      if (err instanceof Database.SqliteError && err.code === 'SQLITE_CONSTRAINT_UNIQUE' && err.message.includes('username_key')) {
        throw new UsernameTakenError(user.username);
      }
      throw err;
    }
    return { id, username: user.username, email: user.email, role: user.role, createdAt: user.now };
  }

  async findUserByUsername(username: string): Promise<User | null> {
    const row = this.sql.userByKey.get(usernameKey(username));
    return row === undefined ? null : toUser(row);
  }

  async getUser(userId: string): Promise<User | null> {
    const row = this.sql.userById.get(userId);
    return row === undefined ? null : toUser(row);
  }

  async getPasswordHash(userId: string): Promise<string | null> {
    return this.sql.passwordHash.get(userId) ?? null;
  }

  async setUserRole(userId: string, role: Role): Promise<User | null> {
    if (this.sql.setRole.run({ id: userId, role }).changes === 0) return null;
    return this.getUser(userId);
  }

  async savePicks(userId: string, movieIds: readonly number[], now: number): Promise<UserStatus> {
    const picks = JSON.stringify(movieIds);
    return this.atomically(() => {
      const sql = this.sql;
      if (sql.savePicks.run({ id: userId, picks, now }).changes === 0) throw new UserNotFoundError(userId);
      // Results of older picks must never be shown.
      sql.deleteQuick.run(userId);
      sql.deleteRecommendations.run(userId);
      return toStatus(sql.statusById.get(userId)!);
    });
  }

  async getUserStatus(userId: string): Promise<UserStatus | null> {
    const row = this.sql.statusById.get(userId);
    return row === undefined ? null : toStatus(row);
  }

  async getQueuedUserStatus(userId: string): Promise<QueuedUserStatus | null> {
    const row = this.sql.statusById.get(userId);
    if (row === undefined) return null;
    // A COUNT over the pending part of the users_by_state index: as many rows as users waiting, all local.
    const queuePosition = row.state === 'pending' ? this.sql.pendingAhead.get({ at: row.state_updated_at, id: userId })! : null;
    return { ...toStatus(row), queuePosition };
  }

  async hasPendingUsers(): Promise<boolean> {
    return this.sql.anyPending.get() !== undefined;
  }

  async countUsersByState(): Promise<Record<UserState, number>> {
    const counts = Object.fromEntries(USER_STATES.map((state) => [state, 0])) as Record<UserState, number>;
    for (const { state, n } of this.sql.countByState.all()) counts[state] = n;
    return counts;
  }

  async getUserSettings(userId: string): Promise<UserSettings | null> {
    const row = this.sql.settingsById.get(userId);
    return row === undefined ? null : { discoveryStep: row.discovery_step };
  }

  async saveUserSettings(userId: string, settings: UserSettings): Promise<UserSettings> {
    if (this.sql.saveSettings.run({ id: userId, discoveryStep: settings.discoveryStep }).changes === 0) throw new UserNotFoundError(userId);
    return { discoveryStep: settings.discoveryStep };
  }

  async saveReaction(userId: string, reaction: NewReaction, now: number): Promise<UserStatus> {
    return this.atomically(() => {
      const sql = this.sql;
      if (sql.statusById.get(userId) === undefined) throw new UserNotFoundError(userId);
      const before = sql.reactionOf.get(userId, reaction.movieId);
      sql.upsertReaction.run({ userId, ...reaction, now });
      if (changesTraining(before, reaction)) sql.requeue.run({ id: userId, now });
      return toStatus(sql.statusById.get(userId)!);
    });
  }

  async deleteReaction(userId: string, movieId: number, now: number): Promise<boolean> {
    return this.atomically(() => {
      const sql = this.sql;
      const before = sql.reactionOf.get(userId, movieId);
      if (before === undefined) return false;
      sql.deleteReaction.run(userId, movieId);
      if (changesTraining(before, undefined)) sql.requeue.run({ id: userId, now });
      return true;
    });
  }

  async listReactions(userId: string): Promise<Reaction[]> {
    return this.sql.reactionsOf.all(userId).map(toReaction);
  }

  async saveQuickRecommendations(userId: string, generation: number, items: readonly QuickItem[], now: number, method: string): Promise<boolean> {
    const json = JSON.stringify(items);
    return this.atomically(() => {
      const status = this.sql.statusById.get(userId);
      if (status === undefined) throw new UserNotFoundError(userId);
      if (status.generation !== generation) return false;
      this.sql.upsertQuick.run({ userId, generation, items: json, now, method });
      return true;
    });
  }

  async getQuickRecommendations(userId: string): Promise<QuickRecommendations | null> {
    const row = this.sql.quickByUser.get(userId);
    return row === undefined ? null : toQuick(row);
  }

  async getRecommendations(userId: string): Promise<Recommendations | null> {
    const row = this.sql.recommendationsByUser.get(userId);
    return row === undefined ? null : toRecommendations(row);
  }

  async acquireTickLease(owner: string, now: number, ttlMs: number): Promise<boolean> {
    return this.sql.acquireLease.run({ owner, now, until: now + ttlMs }).changes === 1;
  }

  async releaseTickLease(owner: string): Promise<boolean> {
    return this.sql.releaseLease.run(owner).changes === 1;
  }

  async createRun(run: NewRun): Promise<RunRecord> {
    return this.atomically(() => {
      if (this.sql.runById.get(run.id) !== undefined) throw new RunExistsError(run.id);
      this.sql.insertRun.run(run);
      return toRun(this.sql.runById.get(run.id)!);
    });
  }

  async getRun(runId: string): Promise<RunRecord | null> {
    const row = this.sql.runById.get(runId);
    return row === undefined ? null : toRun(row);
  }

  async extendRunLease(runId: string, leaseUntil: number): Promise<boolean> {
    return this.atomically(() => {
      if (this.sql.runById.get(runId) === undefined) throw new RunNotFoundError(runId);
      return this.sql.extendRunLease.run(leaseUntil, runId).changes === 1;
    });
  }

  async claimPendingUsers(runId: string, limit: number, now: number): Promise<ClaimedUser[]> {
    return this.atomically(() => {
      const sql = this.sql;
      this.activeRun(runId);
      const claimed = sql.oldestPending.all(limit).map((row) => {
        sql.markRunning.run({ id: row.id, runId, now });
        return { userId: row.id, generation: row.generation, movieIds: JSON.parse(row.picks) as number[] };
      });
      if (claimed.length > 0) sql.addRunUsers.run(claimed.length, runId);
      return claimed;
    });
  }

  async completeRun(runId: string, results: readonly RunResult[], now: number, options: CompleteRunOptions): Promise<RunRecord> {
    const { maxAttempts, metrics } = options;
    return this.atomically(() => {
      const sql = this.sql;
      this.activeRun(runId);
      const running = new Map(sql.runningInRun.all(runId).map((user) => [user.id, user]));
      let ready = 0;
      let stale = 0;
      for (const result of results) {
        const user = running.get(result.userId);
        // Users whose picks changed meanwhile left the run (savePicks made them pending): their result is stale.
        if (user === undefined || user.generation !== result.generation) {
          stale++;
          continue;
        }
        sql.upsertRecommendations.run({ userId: user.id, generation: user.generation, runId, items: JSON.stringify(result.candidates), now });
        sql.markReady.run({ id: user.id, now });
        running.delete(user.id);
        ready++;
      }
      const tally = this.retryOrFail([...running.values()], NO_RESULT, now, maxAttempts);
      sql.finishRun.run({
        id: runId,
        outcome: 'succeeded',
        now,
        ready,
        retried: tally.retried,
        failed: tally.failed,
        stale,
        error: null,
        metrics: metrics === undefined ? null : JSON.stringify(metrics),
      });
      return toRun(sql.runById.get(runId)!);
    });
  }

  async failRun(runId: string, reason: string, now: number, maxAttempts: number): Promise<RunRecord> {
    return this.atomically(() => this.failActiveRun(runId, reason, now, maxAttempts));
  }

  async interruptRun(runId: string, reason: string, now: number): Promise<RunRecord> {
    return this.atomically(() => {
      const sql = this.sql;
      this.activeRun(runId);
      const users = sql.runningInRun.all(runId);
      for (const user of users) sql.markRequeued.run({ id: user.id, now });
      sql.finishRun.run({ id: runId, outcome: 'interrupted', now, ready: 0, retried: users.length, failed: 0, stale: 0, error: reason, metrics: null });
      return toRun(sql.runById.get(runId)!);
    });
  }

  async expireRuns(now: number, maxAttempts: number): Promise<RunRecord[]> {
    return this.atomically(() =>
      this.sql.expiredRunIds.all(now).map((runId) => this.failActiveRun(runId, LEASE_EXPIRED, now, maxAttempts)),
    );
  }

  async listActiveRuns(): Promise<RunRecord[]> {
    return this.sql.activeRuns.all().map(toRun);
  }

  async listRuns(options: { limit: number }): Promise<RunRecord[]> {
    return this.sql.recentRuns.all(options.limit).map(toRun);
  }

  async getPosters(movieIds: readonly number[]): Promise<Map<number, PosterRecord>> {
    const sql = this.sql;
    const found = new Map<number, PosterRecord>();
    for (const id of movieIds) {
      const row = sql.posterById.get(id);
      if (row !== undefined) found.set(id, toPoster(row));
    }
    return found;
  }

  async savePoster(record: PosterRecord): Promise<void> {
    this.sql.upsertPoster.run(record);
  }

  async getSession(sid: string, now: number): Promise<SessionData | null> {
    const data = this.sql.getSession.get(sid, now);
    return data === undefined ? null : (JSON.parse(data) as SessionData);
  }

  async setSession(sid: string, data: SessionData, expiresAt: number): Promise<void> {
    this.sql.setSession.run(sid, JSON.stringify(data), expiresAt);
  }

  async touchSession(sid: string, expiresAt: number): Promise<boolean> {
    return this.sql.touchSession.run(expiresAt, sid).changes === 1;
  }

  async destroySession(sid: string): Promise<void> {
    this.sql.destroySession.run(sid);
  }

  async pruneExpiredSessions(now: number): Promise<number> {
    return this.sql.pruneSessions.run(now).changes;
  }

  async countAttempt(key: string, now: number, windowMs: number, sliding: boolean): Promise<AttemptCount> {
    return toAttempts(this.sql.countAttempt.get({ key, now, windowMs, sliding: sliding ? 1 : 0 })!);
  }

  async getAttempts(key: string, now: number): Promise<AttemptCount | null> {
    const row = this.sql.getAttempts.get(key, now);
    return row === undefined ? null : toAttempts(row);
  }

  async uncountAttempt(key: string, now: number): Promise<void> {
    this.sql.uncountAttempt.run(key, now);
  }

  async clearAttempts(key: string): Promise<void> {
    this.sql.clearAttempts.run(key);
  }

  async pruneExpiredAttempts(now: number): Promise<number> {
    return this.sql.pruneAttempts.run(now).changes;
  }

  async rememberLoginAddress(account: string, address: string, keep: number, now: number): Promise<void> {
    this.atomically(() => {
      this.sql.upsertLoginAddress.run({ account, address, now });
      this.sql.trimLoginAddresses.run({ account, address, keep });
    });
  }

  async isKnownLoginAddress(account: string, address: string): Promise<boolean> {
    return this.sql.knownLoginAddress.get(account, address) !== undefined;
  }

  async ping(): Promise<void> {
    try {
      this.sql.ping.get();
    } catch (err) {
      if (err instanceof StoreUnavailableError) throw err;
      throw new StoreUnavailableError(`the SQLite store does not answer: ${(err as Error).message}`, { cause: err });
    }
  }

  async close(): Promise<void> {
    if (this.db.open) this.db.close();
  }

  /** The run's row when it is still running; RunNotFoundError or RunNotActiveError otherwise. */
  private activeRun(runId: string): RunRow {
    const run = this.sql.runById.get(runId);
    if (run === undefined) throw new RunNotFoundError(runId);
    if (run.outcome !== 'running') throw new RunNotActiveError(runId, run.outcome);
    return run;
  }

  /** Inside a transaction: finishes a running run as failed, retrying or failing its users. */
  private failActiveRun(runId: string, reason: string, now: number, maxAttempts: number): RunRecord {
    const sql = this.sql;
    this.activeRun(runId);
    const tally = this.retryOrFail(sql.runningInRun.all(runId), reason, now, maxAttempts);
    sql.finishRun.run({ id: runId, outcome: 'failed', now, ready: 0, stale: 0, ...tally, error: reason, metrics: null });
    return toRun(sql.runById.get(runId)!);
  }

  /** Inside a transaction: each user back to `pending` with one more attempt, or `failed` after the last. */
  private retryOrFail(users: readonly RunUserRow[], reason: string, now: number, maxAttempts: number): Tally {
    const tally: Tally = { retried: 0, failed: 0 };
    for (const user of users) {
      const attempts = user.attempts + 1;
      const state: UserState = attempts >= maxAttempts ? 'failed' : 'pending';
      this.sql.markRetried.run({ id: user.id, state, attempts, error: reason, now });
      tally[state === 'failed' ? 'failed' : 'retried']++;
    }
    return tally;
  }
}
