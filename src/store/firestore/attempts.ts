/**
 * The rate limits' counts (one document per key) and the addresses each account logged in from. A live count grows
 * by an atomic increment, not a transaction: a burst at one key (many sign-ups from one address) then never aborts
 * itself into errors; only creating or restarting a count is decided in a transaction or by create(). Expired counts
 * are missing to every read; pruneExpiredAttempts deletes them, and a TTL policy on `expireAt` can do the same.
 */
import { createHash } from 'node:crypto';
import { FieldValue, Timestamp } from '@google-cloud/firestore';
import { StoreUnavailableError } from '../errors.js';
import type { AttemptCount } from '../store.js';
import { PAGE_SIZE, TRANSACTION_ATTEMPTS, transaction } from './context.js';
import type { Db } from './context.js';
import type { AttemptDoc, LoginAddressesDoc } from './documents.js';
import { GrpcCode, grpcCode } from './errors.js';
import { shapedQuery } from './queries.js';

/** Keys and account names can be long and hold any character: their digest is the document id. */
const hashedId = (value: string): string => createHash('sha256').update(value, 'utf8').digest('hex');

const countOf = (doc: AttemptDoc): AttemptCount => ({ count: doc.count, lastAt: doc.lastAt, expiresAt: doc.expiresAt });

/**
 * Counts one attempt. The count returned includes this attempt and may include others made at the same moment (it is
 * read back after the increment): under a burst it errs towards the limit, never away from it.
 */
export async function countAttempt(db: Db, key: string, now: number, windowMs: number, sliding: boolean): Promise<AttemptCount> {
  const ref = db.cols.attempts.doc(hashedId(key));
  const fresh: AttemptDoc = { key, count: 1, lastAt: now, expiresAt: now + windowMs, expireAt: Timestamp.fromMillis(now + windowMs) };
  for (let attempt = 0; attempt < TRANSACTION_ATTEMPTS; attempt++) {
    const snap = await ref.get();
    const old = snap.exists ? (snap.data() as AttemptDoc) : null;
    if (old === null) {
      try {
        await ref.create(fresh);
        return countOf(fresh);
      } catch (err) {
        if (grpcCode(err) === GrpcCode.ALREADY_EXISTS) continue; // another count made it first: add to that one
        throw err;
      }
    }
    if (old.expiresAt <= now) {
      // Only one restart wins; the others then add to it.
      const restarted = await transaction(db, async (tx) => {
        const current = await tx.get(ref);
        if (current.exists && (current.data() as AttemptDoc).expiresAt > now) return false;
        tx.set(ref, fresh);
        return true;
      });
      if (restarted) return countOf(fresh);
      continue;
    }
    const expiresAt = sliding ? now + windowMs : old.expiresAt;
    try {
      await ref.update({ count: FieldValue.increment(1), lastAt: now, ...(sliding ? { expiresAt, expireAt: Timestamp.fromMillis(expiresAt) } : {}) });
    } catch (err) {
      if (grpcCode(err) === GrpcCode.NOT_FOUND) continue; // cleared or pruned meanwhile: start again
      throw err;
    }
    const after = await ref.get();
    const counted = after.exists ? (after.data() as AttemptDoc) : null;
    return { count: Math.max(counted?.count ?? 0, old.count + 1), lastAt: now, expiresAt: counted?.expiresAt ?? expiresAt };
  }
  throw new StoreUnavailableError(`counting an attempt under ${key} found the count changing ${TRANSACTION_ATTEMPTS} times in a row`);
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
