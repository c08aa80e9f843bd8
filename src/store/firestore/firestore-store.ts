/**
 * The Store port on Cloud Firestore, opened behind validatingStore (open.ts), so every argument arrives checked. Every
 * call runs through the life cycle (closed check, deadline, error mapping), and each multi-document change is a
 * transaction or an atomic commit (see the part that does it for how).
 */
import type { Firestore } from '@google-cloud/firestore';
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
import * as attempts from './attempts.js';
import { claimPendingUsers } from './claim.js';
import { TICK_LEASE_ID, collections } from './collections.js';
import { USERS_PER_TRANSACTION } from './context.js';
import type { Db } from './context.js';
import { completeRun, expireRuns, failRun, interruptRun } from './finish.js';
import { acquireTickLease, releaseTickLease } from './lease.js';
import { Lifecycle } from './lifecycle.js';
import type { Deadlines } from './lifecycle.js';
import * as picks from './picks.js';
import * as posters from './posters.js';
import * as reactions from './reactions.js';
import * as runs from './runs.js';
import * as sessions from './sessions.js';
import * as users from './users.js';

export class FirestoreStore implements Store {
  private readonly db: Db;
  private readonly life: Lifecycle;

  constructor(firestore: Firestore, collectionPrefix: string, deadlines: Deadlines, usersPerTransaction = USERS_PER_TRANSACTION) {
    this.db = { firestore, cols: collections(firestore, collectionPrefix), usersPerTransaction };
    this.life = new Lifecycle(firestore, deadlines);
  }

  async createUser(input: NewUser): Promise<User> {
    // validatingStore has filled in the default role
    return this.life.run('createUser', () => users.createUser(this.db, input as Required<NewUser>));
  }

  async findUserByUsername(username: string): Promise<User | null> {
    return this.life.run('findUserByUsername', () => users.findUserByUsername(this.db, username));
  }

  async getUser(userId: string): Promise<User | null> {
    return this.life.run('getUser', () => users.getUser(this.db, userId));
  }

  async setUserRole(userId: string, role: Role): Promise<User | null> {
    return this.life.run('setUserRole', () => users.setUserRole(this.db, userId, role));
  }

  async getPasswordHash(userId: string): Promise<string | null> {
    return this.life.run('getPasswordHash', () => users.getPasswordHash(this.db, userId));
  }

  async savePicks(userId: string, movieIds: readonly number[], now: number): Promise<UserStatus> {
    return this.life.run('savePicks', () => picks.savePicks(this.db, userId, movieIds, now));
  }

  async getUserStatus(userId: string): Promise<UserStatus | null> {
    return this.life.run('getUserStatus', () => picks.getUserStatus(this.db, userId));
  }

  async getQueuedUserStatus(userId: string): Promise<QueuedUserStatus | null> {
    return this.life.run('getQueuedUserStatus', () => picks.getQueuedUserStatus(this.db, userId));
  }

  async hasPendingUsers(): Promise<boolean> {
    return this.life.run('hasPendingUsers', () => picks.hasPendingUsers(this.db));
  }

  async countUsersByState(): Promise<Record<UserState, number>> {
    return this.life.run('countUsersByState', () => picks.countUsersByState(this.db));
  }

  async getUserSettings(userId: string): Promise<UserSettings | null> {
    return this.life.run('getUserSettings', () => users.getUserSettings(this.db, userId));
  }

  async saveUserSettings(userId: string, settings: UserSettings): Promise<UserSettings> {
    return this.life.run('saveUserSettings', () => users.saveUserSettings(this.db, userId, settings));
  }

  async saveReaction(userId: string, reaction: NewReaction, now: number): Promise<UserStatus> {
    return this.life.run('saveReaction', () => reactions.saveReaction(this.db, userId, reaction, now));
  }

  async deleteReaction(userId: string, movieId: number, now: number): Promise<boolean> {
    return this.life.run('deleteReaction', () => reactions.deleteReaction(this.db, userId, movieId, now));
  }

  async listReactions(userId: string): Promise<Reaction[]> {
    return this.life.run('listReactions', () => reactions.listReactions(this.db, userId));
  }

  async saveQuickRecommendations(userId: string, generation: number, items: readonly QuickItem[], now: number, method: string): Promise<boolean> {
    return this.life.run('saveQuickRecommendations', () => picks.saveQuickRecommendations(this.db, userId, generation, items, now, method));
  }

  async getQuickRecommendations(userId: string): Promise<QuickRecommendations | null> {
    return this.life.run('getQuickRecommendations', () => picks.getQuickRecommendations(this.db, userId));
  }

  async getRecommendations(userId: string): Promise<Recommendations | null> {
    return this.life.run('getRecommendations', () => picks.getRecommendations(this.db, userId));
  }

  async acquireTickLease(owner: string, now: number, ttlMs: number): Promise<boolean> {
    return this.life.run('acquireTickLease', () => acquireTickLease(this.db, owner, now, ttlMs));
  }

  async releaseTickLease(owner: string): Promise<boolean> {
    return this.life.run('releaseTickLease', () => releaseTickLease(this.db, owner));
  }

  async createRun(input: NewRun): Promise<RunRecord> {
    return this.life.run('createRun', () => runs.createRun(this.db, input));
  }

  async getRun(runId: string): Promise<RunRecord | null> {
    return this.life.run('getRun', () => runs.getRun(this.db, runId));
  }

  async extendRunLease(runId: string, leaseUntil: number): Promise<boolean> {
    return this.life.run('extendRunLease', () => runs.extendRunLease(this.db, runId, leaseUntil));
  }

  async claimPendingUsers(runId: string, limit: number, now: number): Promise<ClaimedUser[]> {
    return this.life.run('claimPendingUsers', () => claimPendingUsers(this.db, runId, limit, now));
  }

  async completeRun(runId: string, results: readonly RunResult[], now: number, options: CompleteRunOptions): Promise<RunRecord> {
    const { maxAttempts, metrics = null } = options;
    return this.life.run('completeRun', () => completeRun(this.db, runId, results, now, maxAttempts, metrics));
  }

  async failRun(runId: string, reason: string, now: number, maxAttempts: number): Promise<RunRecord> {
    return this.life.run('failRun', () => failRun(this.db, runId, reason, now, maxAttempts));
  }

  async interruptRun(runId: string, reason: string, now: number): Promise<RunRecord> {
    return this.life.run('interruptRun', () => interruptRun(this.db, runId, reason, now));
  }

  async expireRuns(now: number, maxAttempts: number): Promise<RunRecord[]> {
    return this.life.run('expireRuns', () => expireRuns(this.db, now, maxAttempts));
  }

  async listActiveRuns(): Promise<RunRecord[]> {
    return this.life.run('listActiveRuns', () => runs.listActiveRuns(this.db));
  }

  async listRuns(options: { limit: number }): Promise<RunRecord[]> {
    return this.life.run('listRuns', () => runs.listRuns(this.db, options.limit));
  }

  async getPosters(movieIds: readonly number[]): Promise<Map<number, PosterRecord>> {
    return this.life.run('getPosters', () => posters.getPosters(this.db, movieIds));
  }

  async savePoster(record: PosterRecord): Promise<void> {
    return this.life.run('savePoster', () => posters.savePoster(this.db, record));
  }

  async getSession(sid: string, now: number): Promise<SessionData | null> {
    const data = await this.life.run('getSession', () => sessions.getSession(this.db, sid, now));
    return data === null ? null : (JSON.parse(data) as SessionData);
  }

  async setSession(sid: string, data: SessionData, expiresAt: number): Promise<void> {
    const json = JSON.stringify(data);
    return this.life.run('setSession', () => sessions.setSession(this.db, sid, json, expiresAt));
  }

  async touchSession(sid: string, expiresAt: number): Promise<boolean> {
    return this.life.run('touchSession', () => sessions.touchSession(this.db, sid, expiresAt));
  }

  async destroySession(sid: string): Promise<void> {
    return this.life.run('destroySession', () => sessions.destroySession(this.db, sid));
  }

  async pruneExpiredSessions(now: number): Promise<number> {
    return this.life.run('pruneExpiredSessions', () => sessions.pruneExpiredSessions(this.db, now));
  }

  async countAttempt(key: string, now: number, windowMs: number, sliding: boolean): Promise<AttemptCount> {
    return this.life.run('countAttempt', () => attempts.countAttempt(this.db, key, now, windowMs, sliding));
  }

  async getAttempts(key: string, now: number): Promise<AttemptCount | null> {
    return this.life.run('getAttempts', () => attempts.getAttempts(this.db, key, now));
  }

  async uncountAttempt(key: string, now: number): Promise<void> {
    return this.life.run('uncountAttempt', () => attempts.uncountAttempt(this.db, key, now));
  }

  async clearAttempts(key: string): Promise<void> {
    return this.life.run('clearAttempts', () => attempts.clearAttempts(this.db, key));
  }

  async pruneExpiredAttempts(now: number): Promise<number> {
    return this.life.run('pruneExpiredAttempts', () => attempts.pruneExpiredAttempts(this.db, now));
  }

  async rememberLoginAddress(account: string, address: string, keep: number, _now: number): Promise<void> {
    return this.life.run('rememberLoginAddress', () => attempts.rememberLoginAddress(this.db, account, address, keep));
  }

  async isKnownLoginAddress(account: string, address: string): Promise<boolean> {
    return this.life.run('isKnownLoginAddress', () => attempts.isKnownLoginAddress(this.db, account, address));
  }

  /** Reads the tick lease document (one small read), within the ping deadline. */
  async ping(): Promise<void> {
    await this.life.run(
      'ping',
      async () => {
        await this.db.cols.leases.doc(TICK_LEASE_ID).get();
      },
      this.life.pingMs,
    );
  }

  /** Refuses further calls, lets calls in flight finish (bounded), then terminates the client. Idempotent. */
  close(): Promise<void> {
    return this.life.close();
  }
}
