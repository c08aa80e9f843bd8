/**
 * Reactions: one `reactions/{userId}` document per user holding every reaction, changed in a transaction with the
 * user's document, so the reaction and the state change it causes (back to `pending`, with a new number in the claim
 * sequence) are one atomic commit.
 */
import type { Transaction } from '@google-cloud/firestore';
import { UserNotFoundError } from '../errors.js';
import { changesTraining } from '../reaction-change.js';
import type { NewReaction, Reaction, UserStatus } from '../store.js';
import { transaction } from './context.js';
import type { Db } from './context.js';
import { toStatus } from './documents.js';
import type { ReactionsDoc, UserDoc } from './documents.js';
import { docId } from './ids.js';
import { issueNumbers, readQueue } from './queue.js';

const REQUEUED_FROM = new Set(['ready', 'running', 'failed']);

export function saveReaction(db: Db, userId: string, reaction: NewReaction, now: number): Promise<UserStatus> {
  return change(db, userId, now, (items) => {
    const before = items.find((r) => r.movieId === reaction.movieId);
    const rest = items.filter((r) => r.movieId !== reaction.movieId);
    return { items: [...rest, { ...reaction, updatedAt: now }], retrain: changesTraining(before, reaction) };
  }).then(({ status }) => status);
}

export async function deleteReaction(db: Db, userId: string, movieId: number, now: number): Promise<boolean> {
  const { changed } = await change(db, userId, now, (items) => {
    const before = items.find((r) => r.movieId === movieId);
    if (before === undefined) return null;
    return { items: items.filter((r) => r.movieId !== movieId), retrain: changesTraining(before, undefined) };
  }).catch((err: unknown) => {
    if (err instanceof UserNotFoundError) return { changed: false };
    throw err;
  });
  return changed;
}

export async function listReactions(db: Db, userId: string): Promise<Reaction[]> {
  const snap = await db.cols.reactions.doc(docId(userId)).get();
  const items = snap.exists ? (snap.data() as ReactionsDoc).items : [];
  return items
    .map(({ movieId, kind, rating, updatedAt }) => ({ movieId, kind, rating, updatedAt }))
    .sort((a, b) => b.updatedAt - a.updatedAt || a.movieId - b.movieId);
}

type Edit = (items: Reaction[]) => { items: Reaction[]; retrain: boolean } | null;

/** Reads the user and their reactions, applies `edit` (null: nothing to change), and writes both in one transaction. */
function change(db: Db, userId: string, now: number, edit: Edit): Promise<{ status: UserStatus; changed: boolean }> {
  const id = docId(userId);
  return transaction(db, async (tx: Transaction) => {
    const userSnap = await tx.get(db.cols.users.doc(id));
    if (!userSnap.exists) throw new UserNotFoundError(userId);
    const reactionsRef = db.cols.reactions.doc(id);
    const reactionsSnap = await tx.get(reactionsRef);
    const user = userSnap.data() as UserDoc;
    const edited = edit(reactionsSnap.exists ? (reactionsSnap.data() as ReactionsDoc).items : []);
    if (edited === null) return { status: toStatus(user), changed: false };
    const requeue = edited.retrain && REQUEUED_FROM.has(user.state);
    // The sequence is read (before any write) only when the user goes back to the queue.
    const queue = requeue ? await readQueue(db, tx) : null;
    const doc: ReactionsDoc = { items: edited.items };
    tx.set(reactionsRef, doc);
    if (queue === null) return { status: toStatus(user), changed: true };
    const queueNumber = issueNumbers(db, tx, queue, 1);
    const requeued = { state: 'pending' as const, runId: null, attempts: 0, error: null, stateUpdatedAt: now, queueNumber };
    tx.update(userSnap.ref, requeued);
    return { status: toStatus({ ...user, ...requeued }), changed: true };
  });
}
