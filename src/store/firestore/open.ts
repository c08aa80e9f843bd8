/** Opens a Firestore store: on a client of its own (the usual case) or on one handed in. */
import type { Firestore } from '@google-cloud/firestore';
import { StoreInputError } from '../errors.js';
import type { Store } from '../store.js';
import { validatingStore } from '../validating-store.js';
import { createFirestoreClient } from './client.js';
import { USERS_PER_TRANSACTION } from './context.js';
import { FirestoreStore } from './firestore-store.js';

export interface FirestoreStoreOptions {
  /** The Google Cloud project (GOOGLE_CLOUD_PROJECT); with the emulator, any id (one per isolated data set). */
  projectId: string;
  /** A named database; `(default)` unless given. */
  databaseId?: string;
  /** Prepended to every collection name (letters, digits, '_' and '-'); none unless given. */
  collectionPrefix?: string;
  /**
   * A client to use instead of making one (projectId and databaseId are then the client's). The store owns it:
   * close() terminates it.
   */
  firestore?: Firestore;
  /** How long a call may take before it rejects with StoreUnavailableError; 30 s unless given. */
  operationTimeoutMs?: number;
  /** The same for ping(); 5 s unless given. */
  pingTimeoutMs?: number;
  /** How long close() waits for calls in flight before terminating the client; 15 s unless given. */
  closeTimeoutMs?: number;
  /**
   * Users one transaction claims or settles at most (1–200; 200 unless given): larger claims and runs take several
   * transactions. Lower only to exercise that path in tests.
   */
  usersPerTransaction?: number;
}

const PREFIX = /^[A-Za-z0-9_-]*$/;

/**
 * A store on Firestore. Nothing is sent until the first call (ping() checks the connection). The emulator is used
 * when FIRESTORE_EMULATOR_HOST is set (the client library reads it), without credentials. Behind validatingStore, like
 * every adapter.
 */
export async function openFirestoreStore(options: FirestoreStoreOptions): Promise<Store> {
  if (typeof options !== 'object' || options === null) throw new StoreInputError('options', 'must be an object');
  if (typeof options.projectId !== 'string' || options.projectId.length === 0) {
    throw new StoreInputError('projectId', 'must be a non-empty string');
  }
  const prefix = options.collectionPrefix ?? '';
  if (!PREFIX.test(prefix)) throw new StoreInputError('collectionPrefix', "may only hold letters, digits, '_' and '-'");
  const deadlines = {
    operationMs: positive('operationTimeoutMs', options.operationTimeoutMs, 30_000),
    pingMs: positive('pingTimeoutMs', options.pingTimeoutMs, 5_000),
    closeMs: positive('closeTimeoutMs', options.closeTimeoutMs, 15_000),
  };
  const usersPerTransaction = positive('usersPerTransaction', options.usersPerTransaction, USERS_PER_TRANSACTION);
  if (usersPerTransaction > USERS_PER_TRANSACTION) throw new StoreInputError('usersPerTransaction', `must be at most ${USERS_PER_TRANSACTION}`);
  const firestore =
    options.firestore ??
    createFirestoreClient({ projectId: options.projectId, ...(options.databaseId === undefined ? {} : { databaseId: options.databaseId }) });
  return validatingStore(new FirestoreStore(firestore, prefix, deadlines, usersPerTransaction));
}

function positive(field: string, value: number | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!Number.isSafeInteger(value) || value <= 0) throw new StoreInputError(field, 'must be a positive integer');
  return value;
}
