/** What every part of the adapter works with: the client, its collections, and transaction settings. */
import type { Firestore, Transaction } from '@google-cloud/firestore';
import type { Collections } from './collections.js';

export interface Db {
  readonly firestore: Firestore;
  readonly cols: Collections;
  /** Users one transaction claims or settles at most (USERS_PER_TRANSACTION unless set lower, e.g. by tests). */
  readonly usersPerTransaction: number;
}

/**
 * Attempts of a contended transaction before it fails (ABORTED, then StoreUnavailableError). Above the library's 5:
 * claims and the tick lease are contended on purpose when several ticks run at once.
 */
export const TRANSACTION_ATTEMPTS = 12;

/** Users one transaction moves at most: each may take two writes, so a commit stays well below 500 writes. */
export const USERS_PER_TRANSACTION = 200;

/** Page size of listing and pruning loops (reads per query, deletes per commit). */
export const PAGE_SIZE = 300;

/** Runs `work` in a read-write transaction (all reads before any write), retried on contention. */
export function transaction<T>(db: Db, work: (tx: Transaction) => Promise<T>): Promise<T> {
  return db.firestore.runTransaction(work, { maxAttempts: TRANSACTION_ATTEMPTS });
}
