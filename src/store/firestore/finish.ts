/**
 * Finishing runs: completeRun, failRun, interruptRun and expireRuns. A run's users (those still `running` in it) are settled in
 * transactions of at most USERS_PER_TRANSACTION users (each may take two writes, so a commit stays under 500); the
 * transaction that settles the last of them also finishes the run, so a run of up to that many users is finished in
 * one atomic step, as in SQLite. A larger run is settled chunk by chunk: the run stays `running` (with its tallies
 * growing) until the last chunk, so a crash in between leaves nothing lost; the next completeRun, failRun or expiry
 * carries on where it stopped, and no user is settled twice (a settled user is no longer in the run). Users sent back
 * to `pending` take new numbers in the claim sequence (queue.ts).
 */
import type { DocumentReference, Transaction } from '@google-cloud/firestore';
import { RunNotActiveError, RunNotFoundError } from '../errors.js';
import type { RunRecord, RunResult } from '../store.js';
import { PAGE_SIZE, transaction } from './context.js';
import type { Db } from './context.js';
import { toRun } from './documents.js';
import type { RecommendationsDoc, RunDoc, StatusFields, UserDoc } from './documents.js';
import { docId } from './ids.js';
import { shapedQuery } from './queries.js';
import { issueNumbers, readQueue } from './queue.js';
import { activeRun } from './runs.js';

/** Why users of a completed run without a result are retried (as SQLite says it). */
const NO_RESULT = 'the run returned no recommendations for this user';
const LEASE_EXPIRED = 'lease expired';

interface Settlement {
  /** The result to import for a user still running in the run, or undefined to retry (or fail) the user. */
  resultFor(user: UserDoc): RunResult | undefined;
  /** The error kept on retried and failed users. */
  reason: string;
  maxAttempts: number;
  /** False for an interrupted run: its users go back to `pending` with their attempts and error unchanged. */
  spendsAttempt: boolean;
  /** The run's final fields, given the run with its tallies complete. */
  finish(run: RunDoc): Pick<RunDoc, 'outcome' | 'error' | 'metrics' | 'staleResults'>;
  /** When given, the run is only settled if this still holds when its first transaction reads it. */
  due?(run: RunDoc): boolean;
}

export function completeRun(
  db: Db,
  runId: string,
  results: readonly RunResult[],
  now: number,
  maxAttempts: number,
  metrics: Record<string, unknown> | null,
): Promise<RunRecord> {
  const byUser = new Map(results.map((result) => [result.userId, result]));
  return settleRun(db, runId, now, {
    // A result for another generation is stale: the user's picks changed, and the user is retried for the new ones.
    resultFor: (user) => {
      const result = byUser.get(user.id);
      return result !== undefined && result.generation === user.generation ? result : undefined;
    },
    reason: NO_RESULT,
    maxAttempts,
    spendsAttempt: true,
    // Every result is either imported (once, counted in readyUsers across chunks and attempts) or stale.
    finish: (run) => ({
      outcome: 'succeeded',
      error: null,
      metrics: metrics === null ? null : JSON.stringify(metrics),
      staleResults: Math.max(0, results.length - run.readyUsers),
    }),
  }) as Promise<RunRecord>;
}

export function failRun(db: Db, runId: string, reason: string, now: number, maxAttempts: number): Promise<RunRecord> {
  return settleRun(db, runId, now, failure(reason, maxAttempts)) as Promise<RunRecord>;
}

export function interruptRun(db: Db, runId: string, reason: string, now: number): Promise<RunRecord> {
  return settleRun(db, runId, now, {
    resultFor: () => undefined,
    reason,
    maxAttempts: Infinity,
    spendsAttempt: false,
    finish: (run) => ({ outcome: 'interrupted', error: reason, metrics: null, staleResults: run.staleResults }),
  }) as Promise<RunRecord>;
}

/**
 * Fails every running run whose lease ended at or before `now`, one run at a time (each as failRun does); runs
 * finished or renewed meanwhile by someone else are left alone. Oldest first, as SQLite returns them.
 */
export async function expireRuns(db: Db, now: number, maxAttempts: number): Promise<RunRecord[]> {
  const expired: RunRecord[] = [];
  const seen = new Set<string>();
  for (;;) {
    const page = await shapedQuery(db.cols, 'expiredRuns', { equals: { outcome: 'running' }, upTo: now, limit: PAGE_SIZE }).get();
    const fresh = page.docs.map((doc) => (doc.data() as RunDoc).id).filter((id) => !seen.has(id));
    for (const runId of fresh) {
      seen.add(runId);
      try {
        const run = await settleRun(db, runId, now, { ...failure(LEASE_EXPIRED, maxAttempts), due: (r) => r.leaseUntil <= now });
        if (run !== null) expired.push(run);
      } catch (err) {
        if (err instanceof RunNotActiveError || err instanceof RunNotFoundError) continue;
        throw err;
      }
    }
    if (page.size < PAGE_SIZE || fresh.length === 0) break;
  }
  return expired.sort((a, b) => a.createdAt - b.createdAt || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

function failure(reason: string, maxAttempts: number): Settlement {
  return {
    resultFor: () => undefined,
    reason,
    maxAttempts,
    spendsAttempt: true,
    finish: (run) => ({ outcome: 'failed', error: reason, metrics: null, staleResults: run.staleResults }),
  };
}

/** Settles the run's users chunk by chunk and finishes the run; null when `due` said no. */
async function settleRun(db: Db, runId: string, now: number, how: Settlement): Promise<RunRecord | null> {
  const runRef = db.cols.runs.doc(docId(runId));
  let first = true;
  for (;;) {
    const checkDue = first && how.due !== undefined;
    const outcome = await transaction(db, async (tx) => {
      const run = activeRun(await tx.get(runRef), runId);
      if (checkDue && !how.due!(run)) return 'not due' as const;
      const users = await tx.get(shapedQuery(db.cols, 'usersOfRun', { equals: { runId }, limit: db.usersPerTransaction + 1 }));
      const last = users.size <= db.usersPerTransaction;
      const next: RunDoc = { ...run };
      const settled = users.docs.slice(0, db.usersPerTransaction).map((doc) => {
        const user = doc.data() as UserDoc;
        return { ref: doc.ref, user, settlement: settlementOf(user, now, how) };
      });
      // Users going back to the queue take numbers in the claim sequence, read (before any write) only then.
      const requeued = settled.filter(({ settlement }) => settlement.fields?.state === 'pending').length;
      let queueNumber = requeued > 0 ? issueNumbers(db, tx, await readQueue(db, tx), requeued) : 0;
      for (const { ref, user, settlement } of settled) {
        if (settlement.fields?.state === 'pending') settlement.fields.queueNumber = queueNumber++;
        applySettlement(db, tx, ref, user, runId, now, settlement);
        const state = settlement.fields?.state;
        if (state === 'ready') next.readyUsers++;
        else if (state === 'pending') next.retriedUsers++;
        else if (state === 'failed') next.failedUsers++;
      }
      if (last) Object.assign(next, how.finish(next), { finishedAt: now });
      tx.set(runRef, next);
      return last ? next : null;
    });
    if (outcome === 'not due') return null;
    if (outcome !== null) return toRun(outcome);
    first = false;
  }
}

/** What becomes of one user of the run: its new status fields (null: not running, only runId dropped) and any result. */
interface UserSettlement {
  fields: Partial<StatusFields> | null;
  result?: RunResult;
}

/** The user's result makes it `ready`; without one it is retried (`pending`) or fails. Decided before any write. */
function settlementOf(user: UserDoc, now: number, how: Settlement): UserSettlement {
  // runId is only ever set while running; should it not be, drop it so the run can finish.
  if (user.state !== 'running') return { fields: null };
  const result = how.resultFor(user);
  if (result !== undefined) return { fields: { state: 'ready', runId: null, attempts: 0, error: null, stateUpdatedAt: now }, result };
  if (!how.spendsAttempt) return { fields: { state: 'pending', runId: null, stateUpdatedAt: now } };
  const attempts = user.attempts + 1;
  return {
    fields: { state: attempts >= how.maxAttempts ? 'failed' : 'pending', runId: null, attempts, error: how.reason, stateUpdatedAt: now },
  };
}

/** Inside a transaction: writes the settlement (and a ready user's recommendations). */
function applySettlement(
  db: Db,
  tx: Transaction,
  ref: DocumentReference,
  user: UserDoc,
  runId: string,
  now: number,
  { fields, result }: UserSettlement,
): void {
  if (fields === null) {
    tx.update(ref, { runId: null });
    return;
  }
  if (result !== undefined) {
    const recommendations: RecommendationsDoc = { generation: user.generation, runId, items: result.candidates, createdAt: now };
    tx.set(db.cols.recommendations.doc(docId(user.id)), recommendations);
  }
  tx.update(ref, { ...fields });
}
