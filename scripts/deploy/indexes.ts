/**
 * The Firestore adapter's index file (src/store/firestore/firestore.indexes.json, the Firebase CLI's format) as
 * gcloud commands, and which of its parts a database already has: composite indexes; fieldOverrides with
 * `"indexes": []` (single-field indexes turned off for big or never-queried fields); and TTL fields (`"ttl": true`;
 * the sessions' `expireAt` when the file names none).
 */
import { existsSync, readFileSync } from 'node:fs';

export interface IndexField {
  readonly fieldPath: string;
  readonly order?: 'ASCENDING' | 'DESCENDING';
  readonly arrayConfig?: 'CONTAINS';
}

export interface CompositeIndex {
  readonly collectionGroup: string;
  readonly queryScope: 'COLLECTION' | 'COLLECTION_GROUP';
  readonly fields: readonly IndexField[];
}

export interface TtlPolicy {
  readonly collectionGroup: string;
  readonly field: string;
}

/** A field whose single-field indexes are off. */
export interface IndexExemption {
  readonly collectionGroup: string;
  readonly field: string;
}

export interface IndexFile {
  readonly path: string;
  readonly indexes: readonly CompositeIndex[];
  readonly exemptions: readonly IndexExemption[];
  readonly ttl: readonly TtlPolicy[];
}

/** The adapter stores sessions here with an `expireAt` Timestamp; Firestore deletes them once past it. */
export const SESSIONS_TTL: TtlPolicy = { collectionGroup: 'sessions', field: 'expireAt' };

export class IndexFileError extends Error {
  override name = 'IndexFileError';
}

export function readIndexFile(path: string): IndexFile {
  if (!existsSync(path)) {
    throw new IndexFileError(`${path} is missing: the Firestore adapter's composite indexes are needed (or pass --indexes FILE)`);
  }
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    throw new IndexFileError(`${path}: not JSON (${(err as Error).message})`);
  }
  return parseIndexFile(path, data);
}

export function parseIndexFile(path: string, data: unknown): IndexFile {
  const fail = (what: string): never => {
    throw new IndexFileError(`${path}: ${what}`);
  };
  if (!isObject(data) || !Array.isArray(data.indexes)) fail('expected {"indexes": [...], "fieldOverrides": [...]}');
  const file = data as { indexes: unknown[]; fieldOverrides?: unknown };
  const indexes = file.indexes.map((raw, i): CompositeIndex => {
    const at = `indexes[${i}]`;
    if (!isObject(raw)) return fail(`${at} is not an object`);
    const { collectionGroup, queryScope = 'COLLECTION', fields } = raw;
    if (typeof collectionGroup !== 'string' || !/^[A-Za-z0-9_.-]+$/.test(collectionGroup)) fail(`${at}.collectionGroup must be a collection id`);
    if (queryScope !== 'COLLECTION' && queryScope !== 'COLLECTION_GROUP') fail(`${at}.queryScope must be COLLECTION or COLLECTION_GROUP`);
    if (!Array.isArray(fields) || fields.length < 2) fail(`${at}.fields must list at least two fields (one-field indexes are automatic)`);
    return {
      collectionGroup: collectionGroup as string,
      queryScope: queryScope as CompositeIndex['queryScope'],
      fields: (fields as unknown[]).map((f, j): IndexField => {
        const fat = `${at}.fields[${j}]`;
        if (!isObject(f) || typeof f.fieldPath !== 'string' || f.fieldPath === '') return fail(`${fat}.fieldPath must be a field path`);
        const { fieldPath, order, arrayConfig } = f;
        if ((order === undefined) === (arrayConfig === undefined)) fail(`${fat} needs exactly one of order and arrayConfig`);
        if (order !== undefined && order !== 'ASCENDING' && order !== 'DESCENDING') fail(`${fat}.order must be ASCENDING or DESCENDING`);
        if (arrayConfig !== undefined && arrayConfig !== 'CONTAINS') fail(`${fat}.arrayConfig must be CONTAINS`);
        return order !== undefined ? { fieldPath, order: order as IndexField['order'] } : { fieldPath, arrayConfig: 'CONTAINS' };
      }),
    };
  });
  const overrides = file.fieldOverrides ?? [];
  if (!Array.isArray(overrides)) fail('fieldOverrides must be a list');
  const ttl: TtlPolicy[] = [];
  const exemptions: IndexExemption[] = [];
  for (const [i, raw] of (overrides as unknown[]).entries()) {
    const at = `fieldOverrides[${i}]`;
    if (!isObject(raw) || typeof raw.collectionGroup !== 'string' || typeof raw.fieldPath !== 'string') {
      return fail(`${at} needs collectionGroup and fieldPath`);
    }
    const target = { collectionGroup: raw.collectionGroup, field: raw.fieldPath };
    if (raw.ttl === true) ttl.push(target);
    if (raw.indexes !== undefined) {
      if (!Array.isArray(raw.indexes) || raw.indexes.length > 0) {
        fail(`${at}.indexes: only [] (no single-field indexes) is supported by scripts/deploy-gcp`);
      }
      exemptions.push(target);
    }
  }
  return { path, indexes, exemptions, ttl: ttl.length > 0 ? ttl : [SESSIONS_TTL] };
}

/** `gcloud firestore indexes composite create` for one index. */
export function createIndexArgs(index: CompositeIndex, project: string, database: string): string[] {
  return [
    'firestore',
    'indexes',
    'composite',
    'create',
    `--project=${project}`,
    `--database=${database}`,
    `--collection-group=${index.collectionGroup}`,
    `--query-scope=${index.queryScope === 'COLLECTION' ? 'collection' : 'collection-group'}`,
    ...index.fields.map((f) => `--field-config=field-path=${f.fieldPath},${f.order ? `order=${f.order.toLowerCase()}` : 'array-config=contains'}`),
  ];
}

/** `gcloud firestore indexes fields update … --disable-indexes` for one field. */
export function exemptionArgs(exemption: IndexExemption, project: string, database: string): string[] {
  return [
    'firestore',
    'indexes',
    'fields',
    'update',
    exemption.field,
    `--collection-group=${exemption.collectionGroup}`,
    `--database=${database}`,
    '--disable-indexes',
    `--project=${project}`,
  ];
}

/** `gcloud firestore indexes fields describe --format=json`: is the field exempt from single-field indexing? */
export function isExempt(field: { indexConfig?: { usesAncestorConfig?: boolean; indexes?: readonly unknown[] } }): boolean {
  return field.indexConfig !== undefined && field.indexConfig.usesAncestorConfig !== true && (field.indexConfig.indexes ?? []).length === 0;
}

/** What `gcloud firestore indexes composite list --format=json` gives for one index (the parts compared). */
export interface ListedIndex {
  readonly name?: string;
  readonly queryScope?: string;
  readonly fields?: readonly { fieldPath?: string; order?: string; arrayConfig?: string }[];
  readonly state?: string;
}

/** A comparable key: collection group, scope and fields in order (Firestore's implicit trailing __name__ ignored). */
export function indexKey(index: CompositeIndex): string {
  return JSON.stringify([index.collectionGroup, index.queryScope, index.fields.map((f) => [f.fieldPath, f.order ?? f.arrayConfig])]);
}

export function listedIndexKey(listed: ListedIndex): string | null {
  const group = /\/collectionGroups\/([^/]+)\/indexes\//.exec(listed.name ?? '')?.[1];
  if (!group || !listed.fields) return null;
  const fields = listed.fields.filter((f, i, all) => !(f.fieldPath === '__name__' && i === all.length - 1));
  return JSON.stringify([group, listed.queryScope ?? 'COLLECTION', fields.map((f) => [f.fieldPath, f.order ?? f.arrayConfig])]);
}

/** The wanted indexes a database does not have yet. */
export function missingIndexes(wanted: readonly CompositeIndex[], listed: readonly ListedIndex[]): CompositeIndex[] {
  const have = new Set(listed.map(listedIndexKey).filter((key): key is string => key !== null));
  return wanted.filter((index) => !have.has(indexKey(index)));
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
