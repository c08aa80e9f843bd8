/** Run records: creating, reading, heartbeats and listings. Claims and finishing are in claim.ts and finish.ts. */
import type { DocumentSnapshot } from '@google-cloud/firestore';
import { RunExistsError, RunNotActiveError, RunNotFoundError } from '../errors.js';
import type { NewRun, RunRecord } from '../store.js';
import { PAGE_SIZE, transaction } from './context.js';
import type { Db } from './context.js';
import { newRunDoc, toRun } from './documents.js';
import type { RunDoc } from './documents.js';
import { GrpcCode, grpcCode } from './errors.js';
import { docId } from './ids.js';
import { shapedQuery } from './queries.js';
import type { QueryName, QueryValues } from './queries.js';

/** Records a new run; `create` fails when the id is used, which is the RunExistsError. */
export async function createRun(db: Db, run: NewRun): Promise<RunRecord> {
  const doc = newRunDoc(run.id, run.engine, run.now, run.leaseUntil);
  try {
    await db.cols.runs.doc(docId(run.id)).create(doc);
  } catch (err) {
    if (grpcCode(err) === GrpcCode.ALREADY_EXISTS) throw new RunExistsError(run.id);
    throw err;
  }
  return toRun(doc);
}

export async function getRun(db: Db, runId: string): Promise<RunRecord | null> {
  const snap = await db.cols.runs.doc(docId(runId)).get();
  return snap.exists ? toRun(snap.data() as RunDoc) : null;
}

/** The run's document when it is still running; RunNotFoundError or RunNotActiveError otherwise. */
export function activeRun(snap: DocumentSnapshot, runId: string): RunDoc {
  if (!snap.exists) throw new RunNotFoundError(runId);
  const run = snap.data() as RunDoc;
  if (run.outcome !== 'running') throw new RunNotActiveError(runId, run.outcome);
  return run;
}

export function extendRunLease(db: Db, runId: string, leaseUntil: number): Promise<boolean> {
  const ref = db.cols.runs.doc(docId(runId));
  return transaction(db, async (tx) => {
    const snap = await tx.get(ref);
    if (!snap.exists) throw new RunNotFoundError(runId);
    if ((snap.data() as RunDoc).outcome !== 'running') return false;
    tx.update(ref, { leaseUntil });
    return true;
  });
}

/** Every running run, oldest first, read a page at a time. */
export function listActiveRuns(db: Db): Promise<RunRecord[]> {
  return readPages(db, 'activeRunsOldestFirst', { equals: { outcome: 'running' } }, Infinity);
}

/** The newest `limit` runs. */
export function listRuns(db: Db, limit: number): Promise<RunRecord[]> {
  return readPages(db, 'runsNewestFirst', {}, limit);
}

/** Up to `max` runs of a query, in pages of at most PAGE_SIZE documents. */
async function readPages(db: Db, name: QueryName, values: Omit<QueryValues, 'limit' | 'after'>, max: number): Promise<RunRecord[]> {
  const runs: RunRecord[] = [];
  let after: DocumentSnapshot | undefined;
  while (runs.length < max) {
    const limit = Math.min(PAGE_SIZE, max - runs.length);
    const page = await shapedQuery(db.cols, name, { ...values, limit, after }).get();
    for (const doc of page.docs) runs.push(toRun(doc.data() as RunDoc));
    if (page.size < limit) break;
    after = page.docs[page.size - 1];
  }
  return runs;
}
