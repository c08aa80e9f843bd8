/** The tick lease: one document (`leases/tick`), read and written in a transaction, so one holder at a time. */
import { TICK_LEASE_ID } from './collections.js';
import { transaction } from './context.js';
import type { Db } from './context.js';
import type { LeaseDoc } from './documents.js';

/** Takes the lease when free, expired (until ≤ now), or already held by `owner` (a renewal). */
export function acquireTickLease(db: Db, owner: string, now: number, ttlMs: number): Promise<boolean> {
  const ref = db.cols.leases.doc(TICK_LEASE_ID);
  return transaction(db, async (tx) => {
    const snap = await tx.get(ref);
    const lease = snap.exists ? (snap.data() as LeaseDoc) : null;
    if (lease !== null && lease.owner !== owner && lease.until > now) return false;
    const next: LeaseDoc = { owner, until: now + ttlMs };
    tx.set(ref, next);
    return true;
  });
}

/** Gives the lease up if `owner` holds it (expired or not); true when it did. */
export function releaseTickLease(db: Db, owner: string): Promise<boolean> {
  const ref = db.cols.leases.doc(TICK_LEASE_ID);
  return transaction(db, async (tx) => {
    const snap = await tx.get(ref);
    if (!snap.exists || (snap.data() as LeaseDoc).owner !== owner) return false;
    tx.delete(ref);
    return true;
  });
}
