/**
 * Every query the adapter issues, declared once as a shape (collection, equality filters, range filter, order) and
 * built from that declaration, so QUERY_SHAPES is the whole list; a test checks that each shape needing a composite
 * index is declared in firestore.indexes.json. Every query reading documents carries a limit; counts are aggregations.
 */
import { FieldPath } from '@google-cloud/firestore';
import type { DocumentSnapshot, Query } from '@google-cloud/firestore';
import type { CollectionName, Collections } from './collections.js';

export type Direction = 'asc' | 'desc';

export interface QueryShape {
  /** The collection (before any prefix). */
  readonly collection: CollectionName;
  /** Fields compared with ==. */
  readonly equality: readonly string[];
  /** A field compared with <= (the only range filter the adapter uses). */
  readonly range?: string;
  /** Sort order; the document id follows in the last field's direction (Firestore's implicit order, made explicit). */
  readonly orderBy: readonly { readonly field: string; readonly direction: Direction }[];
}

export const QUERY_SHAPES = {
  /** claimPendingUsers: pending users, oldest state change first. */
  pendingUsersOldestFirst: {
    collection: 'users',
    equality: ['state'],
    orderBy: [{ field: 'stateUpdatedAt', direction: 'asc' }],
  },
  /** completeRun, failRun: the users still running in a run (runId is only set while running). */
  usersOfRun: { collection: 'users', equality: ['runId'], orderBy: [] },
  /** countUsersByState: count() per state; hasPendingUsers: limit 1. */
  usersInState: { collection: 'users', equality: ['state'], orderBy: [] },
  /** listActiveRuns: running runs, oldest first. */
  activeRunsOldestFirst: {
    collection: 'runs',
    equality: ['outcome'],
    orderBy: [{ field: 'createdAt', direction: 'asc' }],
  },
  /** expireRuns: running runs whose lease ended at or before now. */
  expiredRuns: {
    collection: 'runs',
    equality: ['outcome'],
    range: 'leaseUntil',
    orderBy: [{ field: 'leaseUntil', direction: 'asc' }],
  },
  /** listRuns: history, newest first. */
  runsNewestFirst: { collection: 'runs', equality: [], orderBy: [{ field: 'createdAt', direction: 'desc' }] },
  /** pruneExpiredSessions: sessions expired at or before now. */
  expiredSessions: {
    collection: 'sessions',
    equality: [],
    range: 'expiresAt',
    orderBy: [{ field: 'expiresAt', direction: 'asc' }],
  },
  /** pruneExpiredAttempts: rate-limit counts expired at or before now. */
  expiredAttempts: {
    collection: 'attempts',
    equality: [],
    range: 'expiresAt',
    orderBy: [{ field: 'expiresAt', direction: 'asc' }],
  },
} as const satisfies Record<string, QueryShape>;

export type QueryName = keyof typeof QUERY_SHAPES;

export interface QueryValues {
  /** A value for each equality field of the shape. */
  equals?: Readonly<Record<string, unknown>>;
  /** The upper bound (inclusive) of the range field. */
  upTo?: number;
  limit: number;
  /** Continue after this document (paging). */
  after?: DocumentSnapshot;
}

/** The query of shape `name` with these values. */
export function shapedQuery(cols: Collections, name: QueryName, values: QueryValues): Query {
  let query = filteredQuery(cols, name, values);
  if (values.after !== undefined) query = query.startAfter(values.after);
  return query.limit(values.limit);
}

/** How many documents match shape `name`: a count() aggregation (index entries only, no documents read). */
export async function shapedCount(cols: Collections, name: QueryName, values: Omit<QueryValues, 'limit' | 'after'>): Promise<number> {
  const snap = await filteredQuery(cols, name, values).count().get();
  return snap.data().count;
}

function filteredQuery(cols: Collections, name: QueryName, values: Omit<QueryValues, 'limit' | 'after'>): Query {
  const shape: QueryShape = QUERY_SHAPES[name];
  let query: Query = cols[shape.collection];
  for (const field of shape.equality) {
    const value = values.equals?.[field];
    if (value === undefined) throw new Error(`query ${name}: no value for ${field}`);
    query = query.where(field, '==', value);
  }
  if (shape.range !== undefined) {
    if (values.upTo === undefined) throw new Error(`query ${name}: no bound for ${shape.range}`);
    query = query.where(shape.range, '<=', values.upTo);
  }
  for (const { field, direction } of shape.orderBy) query = query.orderBy(field, direction);
  const last = shape.orderBy.at(-1);
  if (last !== undefined) query = query.orderBy(FieldPath.documentId(), last.direction);
  return query;
}

/** An index field as firestore.indexes.json writes it. */
export interface IndexField {
  fieldPath: string;
  order: 'ASCENDING' | 'DESCENDING';
}

/**
 * The composite index a shape needs, or null when Firestore's automatic single-field indexes serve it: equality
 * filters alone (merged), or one sort/range field without equality filters. Otherwise the index holds the equality
 * fields (any order, ascending) and then the sort fields in order; the document id comes last implicitly.
 */
export function requiredIndex(shape: QueryShape): { equality: string[]; sort: IndexField[] } | null {
  const sort: IndexField[] = [];
  const seen = new Set<string>();
  const add = (field: string, direction: Direction) => {
    if (seen.has(field)) return;
    seen.add(field);
    sort.push({ fieldPath: field, order: direction === 'asc' ? 'ASCENDING' : 'DESCENDING' });
  };
  // A range field must be the first sort field (Firestore orders by it first).
  if (shape.range !== undefined) add(shape.range, shape.orderBy.find((o) => o.field === shape.range)?.direction ?? 'asc');
  for (const { field, direction } of shape.orderBy) add(field, direction);
  if (sort.length === 0) return null;
  if (shape.equality.length === 0 && sort.length === 1) return null;
  return { equality: [...shape.equality], sort };
}
