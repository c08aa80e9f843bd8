/**
 * Picks, the user's state, and the recommendations shown for the current picks. A change of picks and the writes
 * that depend on the generation run in transactions on the user's document, so a result of older picks is never kept;
 * the change also takes the user's number in the claim sequence (queue.ts).
 */
import { UserNotFoundError } from '../errors.js';
import { USER_STATES } from '../store.js';
import type { QueuedUserStatus, QuickItem, QuickRecommendations, Recommendations, UserState, UserStatus } from '../store.js';
import { transaction } from './context.js';
import type { Db } from './context.js';
import { toQuick, toRecommendations, toStatus } from './documents.js';
import type { QuickDoc, RecommendationsDoc, UserDoc } from './documents.js';
import { docId } from './ids.js';
import { shapedCount, shapedQuery } from './queries.js';
import { issueNumbers, queuePosition, readQueue } from './queue.js';
import { userDoc } from './users.js';

/** Replaces the picks: generation + 1, `pending`, attempts and error cleared, older recommendations deleted. */
export function savePicks(db: Db, userId: string, picks: readonly number[], now: number): Promise<UserStatus> {
  const id = docId(userId);
  return transaction(db, async (tx) => {
    const snap = await tx.get(db.cols.users.doc(id));
    if (!snap.exists) throw new UserNotFoundError(userId);
    const before = snap.data() as UserDoc;
    const queueNumber = issueNumbers(db, tx, await readQueue(db, tx), 1);
    const after: UserDoc = {
      ...before,
      state: 'pending',
      generation: before.generation + 1,
      picks: [...picks],
      runId: null,
      attempts: 0,
      error: null,
      stateUpdatedAt: now,
      queueNumber,
    };
    tx.update(snap.ref, {
      state: after.state,
      generation: after.generation,
      picks: after.picks,
      runId: null,
      attempts: 0,
      error: null,
      stateUpdatedAt: now,
      queueNumber,
    });
    tx.delete(db.cols.quickRecommendations.doc(id));
    tx.delete(db.cols.recommendations.doc(id));
    return toStatus(after);
  });
}

export async function getUserStatus(db: Db, userId: string): Promise<UserStatus | null> {
  const user = await userDoc(db, userId);
  return user === null ? null : toStatus(user);
}

/** The user's document, then (only while pending) the claim sequence: at most two reads. */
export async function getQueuedUserStatus(db: Db, userId: string): Promise<QueuedUserStatus | null> {
  const user = await userDoc(db, userId);
  if (user === null) return null;
  return { ...toStatus(user), queuePosition: user.state === 'pending' ? await queuePosition(db, user) : null };
}

/** A limit-1 query: one read whatever the number of pending users (a count() costs one read per 1,000). */
export async function hasPendingUsers(db: Db): Promise<boolean> {
  const snap = await shapedQuery(db.cols, 'usersInState', { equals: { state: 'pending' }, limit: 1 }).select().get();
  return !snap.empty;
}

/** One count() aggregation per state, run side by side: about users/1,000 reads, for the operations page only. */
export async function countUsersByState(db: Db): Promise<Record<UserState, number>> {
  const counts = await Promise.all(
    USER_STATES.map(async (state) => [state, await shapedCount(db.cols, 'usersInState', { equals: { state } })] as const),
  );
  return Object.fromEntries(counts) as Record<UserState, number>;
}

/** Stores quick recommendations when `generation` is still the user's; false (nothing stored) otherwise. */
export function saveQuickRecommendations(
  db: Db,
  userId: string,
  generation: number,
  items: readonly QuickItem[],
  now: number,
  method: string,
): Promise<boolean> {
  const id = docId(userId);
  return transaction(db, async (tx) => {
    const snap = await tx.get(db.cols.users.doc(id));
    if (!snap.exists) throw new UserNotFoundError(userId);
    if ((snap.data() as UserDoc).generation !== generation) return false;
    const doc: QuickDoc = { generation, method, items: [...items], createdAt: now };
    tx.set(db.cols.quickRecommendations.doc(id), doc);
    return true;
  });
}

export async function getQuickRecommendations(db: Db, userId: string): Promise<QuickRecommendations | null> {
  const snap = await db.cols.quickRecommendations.doc(docId(userId)).get();
  return snap.exists ? toQuick(snap.data() as QuickDoc) : null;
}

export async function getRecommendations(db: Db, userId: string): Promise<Recommendations | null> {
  const snap = await db.cols.recommendations.doc(docId(userId)).get();
  return snap.exists ? toRecommendations(snap.data() as RecommendationsDoc) : null;
}
