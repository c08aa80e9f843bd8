/**
 * The claim sequence, so a pending user's place in the queue costs one document read whatever the number of users:
 * `queue/sequence` holds the last number handed out (`issued`) and the highest number a claim has taken
 * (`claimedThrough`). Whoever makes a user `pending` takes the next number in the same transaction; a claim moves
 * `claimedThrough` up to the highest number it took. Position = number − claimedThrough − 1, an upper bound: a
 * user who changed their picks again left a number behind that still counts until a claim passes it.
 */
import type { Transaction } from '@google-cloud/firestore';
import { QUEUE_SEQUENCE_ID } from './collections.js';
import type { Db } from './context.js';
import type { QueueDoc, UserDoc } from './documents.js';

const EMPTY: QueueDoc = { issued: 0, claimedThrough: 0 };

/** Inside a transaction, before any write: the sequence as it stands (empty before the first number). */
export async function readQueue(db: Db, tx: Transaction): Promise<QueueDoc> {
  const snap = await tx.get(db.cols.queue.doc(QUEUE_SEQUENCE_ID));
  return snap.exists ? (snap.data() as QueueDoc) : { ...EMPTY };
}

/** Inside a transaction: hands out the next `count` numbers (the first is returned) and writes the sequence. */
export function issueNumbers(db: Db, tx: Transaction, queue: QueueDoc, count: number): number {
  const first = queue.issued + 1;
  const next: QueueDoc = { ...queue, issued: queue.issued + count };
  tx.set(db.cols.queue.doc(QUEUE_SEQUENCE_ID), next);
  return first;
}

/** Inside a transaction: records that a claim took the users with these numbers (absent: taken before numbering). */
export function markClaimed(db: Db, tx: Transaction, queue: QueueDoc, numbers: readonly (number | null | undefined)[]): void {
  const highest = Math.max(0, ...numbers.map((n) => n ?? 0));
  if (highest <= queue.claimedThrough) return;
  const next: QueueDoc = { ...queue, claimedThrough: highest };
  tx.set(db.cols.queue.doc(QUEUE_SEQUENCE_ID), next);
}

/**
 * A pending user's position: one read of the sequence. A user made pending before numbering existed has no number
 * and is older than every numbered one, so next in line (0).
 */
export async function queuePosition(db: Db, user: UserDoc): Promise<number> {
  if (typeof user.queueNumber !== 'number') return 0;
  const snap = await db.cols.queue.doc(QUEUE_SEQUENCE_ID).get();
  const { claimedThrough } = snap.exists ? (snap.data() as QueueDoc) : EMPTY;
  return Math.max(0, user.queueNumber - claimedThrough - 1);
}
