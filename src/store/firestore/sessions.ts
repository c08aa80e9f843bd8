/**
 * express-session's sessions. A session is missing from its expiry on (getSession checks, whatever is stored);
 * pruneExpiredSessions deletes them in pages, and a Firestore TTL policy on `expireAt` can do the same in the
 * background (Firestore deletes within about a day of expiry, which the check in getSession covers).
 */
import { Timestamp } from '@google-cloud/firestore';
import { transaction, PAGE_SIZE } from './context.js';
import type { Db } from './context.js';
import type { SessionDoc } from './documents.js';
import { GrpcCode, grpcCode } from './errors.js';
import { docId } from './ids.js';
import { shapedQuery } from './queries.js';

export async function getSession(db: Db, sid: string, now: number): Promise<string | null> {
  const snap = await db.cols.sessions.doc(docId(sid)).get();
  if (!snap.exists) return null;
  const session = snap.data() as SessionDoc;
  return expiresAt(session) > now ? session.data : null;
}

export async function setSession(db: Db, sid: string, data: string, expiresAt: number): Promise<void> {
  const doc: SessionDoc = { data, expiresAt, expireAt: Timestamp.fromMillis(expiresAt) };
  await db.cols.sessions.doc(docId(sid)).set(doc);
}

/** Moves the expiry; update() fails with NOT_FOUND when there is no such session, which is the `false`. */
export async function touchSession(db: Db, sid: string, expiresAt: number): Promise<boolean> {
  try {
    await db.cols.sessions.doc(docId(sid)).update({ expiresAt, expireAt: Timestamp.fromMillis(expiresAt) });
    return true;
  } catch (err) {
    if (grpcCode(err) === GrpcCode.NOT_FOUND) return false;
    throw err;
  }
}

export async function destroySession(db: Db, sid: string): Promise<void> {
  await db.cols.sessions.doc(docId(sid)).delete();
}

/**
 * Deletes the sessions expired at `now`, a page at a time, each page in a transaction so that a session touched
 * meanwhile (its expiry moved on) is not deleted.
 */
export async function pruneExpiredSessions(db: Db, now: number): Promise<number> {
  let deleted = 0;
  for (;;) {
    const page = await transaction(db, async (tx) => {
      const snap = await tx.get(shapedQuery(db.cols, 'expiredSessions', { upTo: now, limit: PAGE_SIZE }));
      for (const doc of snap.docs) tx.delete(doc.ref);
      return snap.size;
    });
    deleted += page;
    if (page < PAGE_SIZE) return deleted;
  }
}

/** The expiry in epoch ms, whether kept as a number (as this adapter writes it) or only as a Timestamp. */
function expiresAt(session: SessionDoc): number {
  if (typeof session.expiresAt === 'number') return session.expiresAt;
  const at = session.expireAt as unknown;
  return at instanceof Timestamp ? at.toMillis() : 0;
}
