/**
 * Picks, the user's state, and the recommendations shown for the current picks. A change of picks and the writes
 * that depend on the generation run in transactions on the user's document, so a result of older picks is never kept.
 */
import { UserNotFoundError } from '../errors.js';
import { USER_STATES } from '../store.js';
import type { QuickItem, QuickRecommendations, Recommendations, UserState, UserStatus } from '../store.js';
import { transaction } from './context.js';
import type { Db } from './context.js';
import { toQuick, toRecommendations, toStatus } from './documents.js';
import type { QuickDoc, RecommendationsDoc, UserDoc } from './documents.js';
import { docId } from './ids.js';
import { shapedCount } from './queries.js';
import { userDoc } from './users.js';

/** Replaces the picks: generation + 1, `pending`, attempts and error cleared, older recommendations deleted. */
export function savePicks(db: Db, userId: string, picks: readonly number[], now: number): Promise<UserStatus> {
  const id = docId(userId);
  return transaction(db, async (tx) => {
    const snap = await tx.get(db.cols.users.doc(id));
    if (!snap.exists) throw new UserNotFoundError(userId);
    const before = snap.data() as UserDoc;
    const after: UserDoc = {
      ...before,
      state: 'pending',
      generation: before.generation + 1,
      picks: [...picks],
      runId: null,
      attempts: 0,
      error: null,
      stateUpdatedAt: now,
    };
    tx.update(snap.ref, {
      state: after.state,
      generation: after.generation,
      picks: after.picks,
      runId: null,
      attempts: 0,
      error: null,
      stateUpdatedAt: now,
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

/** One count() aggregation per state, run side by side. */
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
