/**
 * Every adapter is opened through this wrapper: it checks each call's arguments (validate.ts) before anything is sent,
 * so bad input is a StoreInputError, the same for every adapter, and never a half-written state. The adapter then
 * receives the checked copies (plain objects with exactly the stored fields) and checks nothing itself.
 */
import { StoreInputError } from './errors.js';
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
} from './store.js';
import {
  checkCount,
  checkId,
  checkRole,
  checkMetrics,
  checkMovieId,
  checkMovieIds,
  checkNewReaction,
  checkNewRun,
  checkNewUser,
  checkPosterIds,
  checkPosterRecord,
  checkQuickItems,
  checkRunResults,
  checkSessionData,
  checkText,
  checkTime,
  checkUserSettings,
} from './validate.js';

/** `store` behind argument checks. */
export function validatingStore(store: Store): Store {
  return new ValidatingStore(store);
}

class ValidatingStore implements Store {
  constructor(private readonly store: Store) {}

  async createUser(input: NewUser): Promise<User> {
    return this.store.createUser(checkNewUser(input));
  }

  async findUserByUsername(username: string): Promise<User | null> {
    return this.store.findUserByUsername(checkText('username', username));
  }

  async getUser(userId: string): Promise<User | null> {
    return this.store.getUser(checkId('userId', userId));
  }

  async getPasswordHash(userId: string): Promise<string | null> {
    return this.store.getPasswordHash(checkId('userId', userId));
  }

  async setUserRole(userId: string, role: Role): Promise<User | null> {
    return this.store.setUserRole(checkId('userId', userId), checkRole(role));
  }

  async savePicks(userId: string, movieIds: readonly number[], now: number): Promise<UserStatus> {
    checkId('userId', userId);
    const picks = checkMovieIds(movieIds);
    return this.store.savePicks(userId, picks, checkTime('now', now));
  }

  async getUserStatus(userId: string): Promise<UserStatus | null> {
    return this.store.getUserStatus(checkId('userId', userId));
  }

  async getQueuedUserStatus(userId: string): Promise<QueuedUserStatus | null> {
    return this.store.getQueuedUserStatus(checkId('userId', userId));
  }

  async hasPendingUsers(): Promise<boolean> {
    return this.store.hasPendingUsers();
  }

  async countUsersByState(): Promise<Record<UserState, number>> {
    return this.store.countUsersByState();
  }

  async getUserSettings(userId: string): Promise<UserSettings | null> {
    return this.store.getUserSettings(checkId('userId', userId));
  }

  async saveUserSettings(userId: string, settings: UserSettings): Promise<UserSettings> {
    checkId('userId', userId);
    return this.store.saveUserSettings(userId, checkUserSettings(settings));
  }

  async saveReaction(userId: string, reaction: NewReaction, now: number): Promise<UserStatus> {
    checkId('userId', userId);
    const checked = checkNewReaction(reaction);
    return this.store.saveReaction(userId, checked, checkTime('now', now));
  }

  async deleteReaction(userId: string, movieId: number, now: number): Promise<boolean> {
    checkId('userId', userId);
    checkMovieId('movieId', movieId);
    return this.store.deleteReaction(userId, movieId, checkTime('now', now));
  }

  async listReactions(userId: string): Promise<Reaction[]> {
    return this.store.listReactions(checkId('userId', userId));
  }

  async saveQuickRecommendations(userId: string, generation: number, items: readonly QuickItem[], now: number, method: string): Promise<boolean> {
    checkId('userId', userId);
    checkCount('generation', generation, 1);
    const checked = checkQuickItems(items);
    return this.store.saveQuickRecommendations(userId, generation, checked, checkTime('now', now), checkText('method', method, 64));
  }

  async getQuickRecommendations(userId: string): Promise<QuickRecommendations | null> {
    return this.store.getQuickRecommendations(checkId('userId', userId));
  }

  async getRecommendations(userId: string): Promise<Recommendations | null> {
    return this.store.getRecommendations(checkId('userId', userId));
  }

  async acquireTickLease(owner: string, now: number, ttlMs: number): Promise<boolean> {
    checkId('owner', owner);
    checkTime('now', now);
    return this.store.acquireTickLease(owner, now, checkCount('ttlMs', ttlMs, 1));
  }

  async releaseTickLease(owner: string): Promise<boolean> {
    return this.store.releaseTickLease(checkId('owner', owner));
  }

  async createRun(input: NewRun): Promise<RunRecord> {
    return this.store.createRun(checkNewRun(input));
  }

  async getRun(runId: string): Promise<RunRecord | null> {
    return this.store.getRun(checkId('runId', runId));
  }

  async extendRunLease(runId: string, leaseUntil: number): Promise<boolean> {
    checkId('runId', runId);
    return this.store.extendRunLease(runId, checkTime('leaseUntil', leaseUntil));
  }

  async claimPendingUsers(runId: string, limit: number, now: number): Promise<ClaimedUser[]> {
    checkId('runId', runId);
    checkCount('limit', limit, 0);
    return this.store.claimPendingUsers(runId, limit, checkTime('now', now));
  }

  async completeRun(runId: string, results: readonly RunResult[], now: number, options: CompleteRunOptions): Promise<RunRecord> {
    checkId('runId', runId);
    const checked = checkRunResults(results);
    checkTime('now', now);
    const maxAttempts = checkCount('options.maxAttempts', options?.maxAttempts, 1);
    const metrics = checkMetrics(options.metrics);
    return this.store.completeRun(runId, checked, now, metrics === null ? { maxAttempts } : { maxAttempts, metrics });
  }

  async failRun(runId: string, reason: string, now: number, maxAttempts: number): Promise<RunRecord> {
    checkId('runId', runId);
    checkText('reason', reason, 4096);
    checkTime('now', now);
    return this.store.failRun(runId, reason, now, checkCount('maxAttempts', maxAttempts, 1));
  }

  async interruptRun(runId: string, reason: string, now: number): Promise<RunRecord> {
    checkId('runId', runId);
    checkText('reason', reason, 4096);
    return this.store.interruptRun(runId, reason, checkTime('now', now));
  }

  async expireRuns(now: number, maxAttempts: number): Promise<RunRecord[]> {
    checkTime('now', now);
    return this.store.expireRuns(now, checkCount('maxAttempts', maxAttempts, 1));
  }

  async listActiveRuns(): Promise<RunRecord[]> {
    return this.store.listActiveRuns();
  }

  async listRuns(options: { limit: number }): Promise<RunRecord[]> {
    return this.store.listRuns({ limit: checkCount('limit', options?.limit, 0) });
  }

  async getPosters(movieIds: readonly number[]): Promise<Map<number, PosterRecord>> {
    return this.store.getPosters(checkPosterIds(movieIds));
  }

  async savePoster(record: PosterRecord): Promise<void> {
    return this.store.savePoster(checkPosterRecord(record));
  }

  async getSession(sid: string, now: number): Promise<SessionData | null> {
    checkId('sid', sid);
    return this.store.getSession(sid, checkTime('now', now));
  }

  async setSession(sid: string, data: SessionData, expiresAt: number): Promise<void> {
    checkId('sid', sid);
    checkSessionData(data);
    return this.store.setSession(sid, data, checkTime('expiresAt', expiresAt));
  }

  async touchSession(sid: string, expiresAt: number): Promise<boolean> {
    checkTime('expiresAt', expiresAt);
    return this.store.touchSession(checkId('sid', sid), expiresAt);
  }

  async destroySession(sid: string): Promise<void> {
    return this.store.destroySession(checkId('sid', sid));
  }

  async pruneExpiredSessions(now: number): Promise<number> {
    return this.store.pruneExpiredSessions(checkTime('now', now));
  }

  async countAttempt(key: string, now: number, windowMs: number, sliding: boolean): Promise<AttemptCount> {
    checkText('key', key);
    checkTime('now', now);
    checkCount('windowMs', windowMs, 1);
    if (typeof sliding !== 'boolean') throw new StoreInputError('sliding', 'must be a boolean');
    return this.store.countAttempt(key, now, windowMs, sliding);
  }

  async getAttempts(key: string, now: number): Promise<AttemptCount | null> {
    return this.store.getAttempts(checkText('key', key), checkTime('now', now));
  }

  async uncountAttempt(key: string, now: number): Promise<void> {
    return this.store.uncountAttempt(checkText('key', key), checkTime('now', now));
  }

  async clearAttempts(key: string): Promise<void> {
    return this.store.clearAttempts(checkText('key', key));
  }

  async pruneExpiredAttempts(now: number): Promise<number> {
    return this.store.pruneExpiredAttempts(checkTime('now', now));
  }

  async rememberLoginAddress(account: string, address: string, keep: number, now: number): Promise<void> {
    checkText('account', account);
    checkText('address', address);
    checkCount('keep', keep, 1);
    return this.store.rememberLoginAddress(account, address, keep, checkTime('now', now));
  }

  async isKnownLoginAddress(account: string, address: string): Promise<boolean> {
    return this.store.isKnownLoginAddress(checkText('account', account), checkText('address', address));
  }

  async ping(): Promise<void> {
    return this.store.ping();
  }

  async close(): Promise<void> {
    return this.store.close();
  }
}
