/**
 * The rate limits' counts (one document per key, changed in a transaction so concurrent counts from several
 * processes are all counted) and the addresses each account logged in from. Expired counts are missing to every
 * read; pruneExpiredAttempts deletes them, and a TTL policy on `expireAt` can do the same in the background.
 */
import { createHash } from 'node:crypto';
import { Timestamp } from '@google-cloud/firestore';
import type { AttemptCount } from '../store.js';
import { PAGE_SIZE, transaction } from './context.js';
import type { Db } from './context.js';
import type { AttemptDoc, LoginAddressesDoc } from './documents.js';
import { shapedQuery } from './queries.js';

/** Keys and account names can be long and hold any character: their digest is the document id. */
const hashedId = (value: string): string => createHash('sha256').update(value, 'utf8').digest('hex');

const countOf = (doc: AttemptDoc): AttemptCount => ({ count: doc.count, lastAt: doc.lastAt, expiresAt: doc.expiresAt });

export function countAttempt(db: Db, key: string, now: number, windowMs: number, sliding: boolean): Promise<AttemptCount> {
  const ref = db.cols.attempts.doc(hashedId(key));
  return transaction(db, async (tx) => {
    const snap = await tx.get(ref);
    const old = snap.exists ? (snap.data() as AttemptDoc) : null;
    const live = old !== null && old.expiresAt > now;
    const expiresAt = live && !sliding ? old.expiresAt : now + windowMs;
    const doc: AttemptDoc = { key, count: live ? old.count + 1 : 1, lastAt: now, expiresAt, expireAt: Timestamp.fromMillis(expiresAt) };
    tx.set(ref, doc);
    return countOf(doc);
  });
}

export async function getAttempts(db: Db, key: string, now: number): Promise<AttemptCount | null> {
  const snap = await db.cols.attempts.doc(hashedId(key)).get();
  if (!snap.exists) return null;
  const doc = snap.data() as AttemptDoc;
  return doc.expiresAt > now ? countOf(doc) : null;
}

export async function uncountAttempt(db: Db, key: string, now: number): Promise<void> {
  const ref = db.cols.attempts.doc(hashedId(key));
  await transaction(db, async (tx) => {
    const snap = await tx.get(ref);
    if (!snap.exists) return;
    const doc = snap.data() as AttemptDoc;
    if (doc.expiresAt > now && doc.count > 0) tx.update(ref, { count: doc.count - 1 });
  });
}

export async function clearAttempts(db: Db, key: string): Promise<void> {
  await db.cols.attempts.doc(hashedId(key)).delete();
}

/** Deletes a page at a time, each page in a transaction so that a count renewed meanwhile is not deleted. */
export async function pruneExpiredAttempts(db: Db, now: number): Promise<number> {
  let deleted = 0;
  for (;;) {
    const page = await transaction(db, async (tx) => {
      const snap = await tx.get(shapedQuery(db.cols, 'expiredAttempts', { upTo: now, limit: PAGE_SIZE }));
      for (const doc of snap.docs) tx.delete(doc.ref);
      return snap.size;
    });
    deleted += page;
    if (page < PAGE_SIZE) return deleted;
  }
}

/** The address goes first; the list keeps the `keep` most recent. */
export async function rememberLoginAddress(db: Db, account: string, address: string, keep: number): Promise<void> {
  const ref = db.cols.loginAddresses.doc(hashedId(account));
  await transaction(db, async (tx) => {
    const snap = await tx.get(ref);
    const known = snap.exists ? (snap.data() as LoginAddressesDoc).addresses : [];
    const doc: LoginAddressesDoc = { account, addresses: [address, ...known.filter((a) => a !== address)].slice(0, keep) };
    tx.set(ref, doc);
  });
}

export async function isKnownLoginAddress(db: Db, account: string, address: string): Promise<boolean> {
  const snap = await db.cols.loginAddresses.doc(hashedId(account)).get();
  return snap.exists && (snap.data() as LoginAddressesDoc).addresses.includes(address);
}
