/**
 * The Firestore adapter against Google's Firestore emulator: the shared store contract (each fixture on a project id
 * of its own, every connect() a client of its own), then what is particular to Firestore: the index file, races
 * between clients, transactions split into chunks, document ids, and the life cycle against a dead backend.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Timestamp } from '@google-cloud/firestore';
import type { Firestore } from '@google-cloud/firestore';
import { RunNotActiveError, StoreUnavailableError, UsernameTakenError } from '../../src/store/errors.js';
import { COLLECTION_NAMES } from '../../src/store/firestore/collections.js';
import { createFirestoreClient } from '../../src/store/firestore/client.js';
import { openFirestoreStore } from '../../src/store/firestore/open.js';
import type { FirestoreStoreOptions } from '../../src/store/firestore/open.js';
import { QUERY_SHAPES, requiredIndex } from '../../src/store/firestore/queries.js';
import type { QueryShape } from '../../src/store/firestore/queries.js';
import type { Store } from '../../src/store/store.js';
import { resetFirestore, startFirestoreEmulator } from '../support/firestore-emulator.js';
import type { FirestoreEmulator } from '../support/firestore-emulator.js';
import { runStoreContract } from './contract.js';
import type { StoreFixture } from './contract.js';

let emulator: FirestoreEmulator | undefined;

before(async () => {
  const started = Date.now();
  emulator = await startFirestoreEmulator();
  console.log(`# Firestore emulator on ${emulator.host}, ready after ${Date.now() - started} ms`);
});

after(() => emulator?.stop());

function host(): string {
  if (emulator === undefined) throw new Error('the Firestore emulator has not started');
  return emulator.host;
}

let projects = 0;

/** A project id no other fixture of any test process uses, so each starts empty. */
function freshProject(kind: string): string {
  return `${kind}-${process.pid}-${++projects}`;
}

/** A client of the emulator (explicit host and ssl: false, so no credentials are looked up). */
function emulatorClient(projectId: string): Firestore {
  return createFirestoreClient({ projectId, host: host(), ssl: false });
}

/** Stores on one emulator project, each on a client of its own; cleanup closes them all and empties the project. */
async function firestoreFixture(kind = 'contract', options: Partial<FirestoreStoreOptions> = {}): Promise<StoreFixture> {
  const projectId = freshProject(kind);
  const handles: Store[] = [];
  const connect = async () => {
    const store = await openFirestoreStore({ ...options, projectId, firestore: emulatorClient(projectId) });
    handles.push(store);
    return store;
  };
  return {
    store: await connect(),
    connect,
    cleanup: async () => {
      await Promise.all(handles.map((store) => store.close()));
      await resetFirestore(host(), projectId);
    },
  };
}

runStoreContract('firestore', () => firestoreFixture());

async function withFixture(body: (fixture: StoreFixture) => Promise<void>, kind?: string, options?: Partial<FirestoreStoreOptions>): Promise<void> {
  const fixture = await firestoreFixture(kind, options);
  try {
    await body(fixture);
  } finally {
    await fixture.cleanup();
  }
}

const T0 = 1_700_000_000_000;
const MINUTE = 60_000;
const PICKS = [1, 2, 3, 4, 5];

async function pendingUsers(store: Store, count: number, prefix = 'u'): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i++) {
    const user = await store.createUser({ username: `${prefix}${i}`, email: `${prefix}${i}@example.com`, passwordHash: 'h', now: T0 + i });
    await store.savePicks(user.id, PICKS, T0 + i);
    ids.push(user.id);
  }
  return ids;
}

/** A loopback port nothing listens on (the OS picked it a moment ago). */
function unusedPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** firestore.indexes.json next to the adapter's sources (the compiled tests may live in another tree). */
function indexesFile(): string {
  const relative = join('src', 'store', 'firestore', 'firestore.indexes.json');
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    if (existsSync(join(dir, relative))) return join(dir, relative);
    if (dirname(dir) === dir) break;
  }
  const fromCwd = join(process.cwd(), relative);
  if (existsSync(fromCwd)) return fromCwd;
  throw new Error(`cannot find ${relative} above the test or in the working directory`);
}

interface IndexFile {
  indexes: { collectionGroup: string; queryScope: string; fields: { fieldPath: string; order?: string }[] }[];
  fieldOverrides: { collectionGroup: string; fieldPath: string; ttl?: boolean; indexes: unknown[] }[];
}

describe('firestore adapter', { concurrency: true }, () => {
  describe('firestore.indexes.json', () => {
    const file = JSON.parse(readFileSync(indexesFile(), 'utf8')) as IndexFile;
    const shapes = Object.entries(QUERY_SHAPES) as [string, QueryShape][];

    it('declares a composite index for every query shape that needs one', () => {
      const needing = shapes.filter(([, shape]) => requiredIndex(shape) !== null);
      assert.ok(needing.length > 0, 'some queries need composite indexes');
      for (const [name, shape] of needing) {
        const need = requiredIndex(shape)!;
        const match = file.indexes.find((index) => {
          if (index.collectionGroup !== shape.collection || index.queryScope !== 'COLLECTION') return false;
          if (index.fields.length !== need.equality.length + need.sort.length) return false;
          const head = index.fields.slice(0, need.equality.length);
          const tail = index.fields.slice(need.equality.length);
          return (
            head.every((field) => need.equality.includes(field.fieldPath) && field.order === 'ASCENDING') &&
            new Set(head.map((field) => field.fieldPath)).size === need.equality.length &&
            tail.every((field, i) => field.fieldPath === need.sort[i].fieldPath && field.order === need.sort[i].order)
          );
        });
        assert.ok(match, `query ${name} needs a composite index on ${shape.collection}: ${JSON.stringify(need)}`);
      }
    });

    it('declares no composite index that no query needs', () => {
      for (const index of file.indexes) {
        const used = shapes.some(([, shape]) => {
          const need = requiredIndex(shape);
          return (
            need !== null &&
            shape.collection === index.collectionGroup &&
            index.fields.map((f) => f.fieldPath).join() === [...index.fields.slice(0, need.equality.length).map((f) => f.fieldPath), ...need.sort.map((f) => f.fieldPath)].join()
          );
        });
        assert.ok(used, `index ${JSON.stringify(index)} serves no query`);
      }
    });

    it('names only the adapter collections and exempts no field a query filters or sorts on', () => {
      const groups = [...file.indexes.map((i) => i.collectionGroup), ...file.fieldOverrides.map((o) => o.collectionGroup)];
      for (const group of groups) assert.ok((COLLECTION_NAMES as readonly string[]).includes(group), group);
      for (const override of file.fieldOverrides) {
        for (const [name, shape] of shapes) {
          if (shape.collection !== override.collectionGroup) continue;
          const fields = [...shape.equality, ...(shape.range === undefined ? [] : [shape.range]), ...shape.orderBy.map((o) => o.field)];
          assert.ok(!fields.includes(override.fieldPath) || override.indexes.length > 0, `${override.fieldPath} is used by query ${name}`);
        }
      }
      assert.ok(file.fieldOverrides.some((o) => o.collectionGroup === 'sessions' && o.fieldPath === 'expireAt' && o.ttl === true), 'TTL on sessions.expireAt');
    });
  });

  describe('races between clients', () => {
    it('lets exactly one of 40 sign-ups with one name on two clients succeed', () =>
      withFixture(async (fixture) => {
        const clients = [fixture.store, await fixture.connect()];
        const outcomes = await Promise.allSettled(
          Array.from({ length: 40 }, (_, i) =>
            clients[i % 2].createUser({ username: ['Racer', 'racer', 'RACER', '\uFF32acer'][i % 4], email: `r${i}@example.com`, passwordHash: 'h', now: T0 }),
          ),
        );
        assert.equal(outcomes.filter((o) => o.status === 'fulfilled').length, 1);
        for (const o of outcomes) if (o.status === 'rejected') assert.ok(o.reason instanceof UsernameTakenError, String(o.reason));
        assert.equal((await clients[1].countUsersByState()).none, 1);
      }, 'race-users'));

    it('gives every pending user to exactly one of 3 clients claiming at once', () =>
      withFixture(async (fixture) => {
        const clients = [fixture.store, await fixture.connect(), await fixture.connect()];
        const ids = await pendingUsers(fixture.store, 24);
        for (let w = 0; w < 3; w++) await fixture.store.createRun({ id: `r${w}`, engine: 'e', now: T0, leaseUntil: T0 + MINUTE });
        const claims = await Promise.all(
          clients.map(async (client, w) => {
            const got: string[] = [];
            for (let batch = await client.claimPendingUsers(`r${w}`, 2, T0 + 100); batch.length > 0; batch = await client.claimPendingUsers(`r${w}`, 2, T0 + 100)) {
              got.push(...batch.map((c) => c.userId));
            }
            return got;
          }),
        );
        const all = claims.flat();
        assert.equal(new Set(all).size, all.length, 'no user claimed twice');
        assert.deepEqual([...all].sort(), [...ids].sort());
        const runs = await Promise.all([0, 1, 2].map((w) => fixture.store.getRun(`r${w}`)));
        assert.deepEqual(runs.map((r) => r?.users), claims.map((c) => c.length));
      }, 'race-claims'));
  });

  describe('runs larger than one transaction', () => {
    it('claims, completes and fails in chunks with the same outcome as one transaction', () =>
      withFixture(async ({ store }) => {
        const ids = await pendingUsers(store, 11);
        await store.createRun({ id: 'big', engine: 'e', now: T0, leaseUntil: T0 + MINUTE });
        const claimed = await store.claimPendingUsers('big', 10, T0 + 20);
        assert.deepEqual(claimed.map((c) => c.userId), ids.slice(0, 10), 'oldest first across chunks');
        assert.equal((await store.getRun('big'))?.users, 10);
        // Results for 6 users, one of them for a generation that changed meanwhile, and one for a user not in the run.
        await store.savePicks(ids[0], [7, 8, 9, 10, 11], T0 + 21);
        const results = [...ids.slice(0, 6), ids[10]].map((userId) => ({ userId, generation: 1, candidates: [{ movieId: 99, score: 1, because: 1 }] }));
        const run = await store.completeRun('big', results, T0 + 30, { maxAttempts: 3, metrics: { chunks: true } });
        assert.deepEqual(
          [run.outcome, run.users, run.readyUsers, run.retriedUsers, run.failedUsers, run.staleResults, run.finishedAt],
          ['succeeded', 10, 5, 4, 0, 2, T0 + 30],
        );
        assert.deepEqual(run.metrics, { chunks: true });
        assert.deepEqual(await store.countUsersByState(), { none: 0, pending: 6, running: 0, ready: 5, failed: 0 });
        assert.equal((await store.getRecommendations(ids[1]))?.runId, 'big');
        assert.equal(await store.getRecommendations(ids[0]), null);
        await assert.rejects(store.completeRun('big', [], T0 + 31, { maxAttempts: 3 }), RunNotActiveError);

        await store.createRun({ id: 'big2', engine: 'e', now: T0 + 40, leaseUntil: T0 + MINUTE });
        assert.equal((await store.claimPendingUsers('big2', 100, T0 + 41)).length, 6);
        const failed = await store.failRun('big2', 'boom', T0 + 42, 1);
        assert.deepEqual([failed.outcome, failed.failedUsers, failed.retriedUsers, failed.error], ['failed', 6, 0, 'boom']);
        assert.equal((await store.countUsersByState()).failed, 6);
      }, 'chunks', { usersPerTransaction: 3 }));

    it('interrupts in chunks: every user back to pending with its attempts unchanged', () =>
      withFixture(async ({ store }) => {
        const ids = await pendingUsers(store, 7);
        await store.createRun({ id: 'failing', engine: 'e', now: T0, leaseUntil: T0 + MINUTE });
        await store.claimPendingUsers('failing', 3, T0 + 1);
        await store.failRun('failing', 'boom', T0 + 2, 3);
        await store.createRun({ id: 'stopped', engine: 'e', now: T0 + 3, leaseUntil: T0 + MINUTE });
        assert.equal((await store.claimPendingUsers('stopped', 100, T0 + 4)).length, 7);
        const run = await store.interruptRun('stopped', 'the app restarted', T0 + 5);
        assert.deepEqual([run.outcome, run.users, run.retriedUsers, run.failedUsers, run.error], ['interrupted', 7, 7, 0, 'the app restarted']);
        const statuses = await Promise.all(ids.map((id) => store.getUserStatus(id)));
        assert.deepEqual(statuses.map((s) => [s?.state, s?.attempts]), ids.map((_, i) => ['pending', i < 3 ? 1 : 0]));
        const positions = await Promise.all(ids.map(async (id) => (await store.getQueuedUserStatus(id))!.queuePosition!));
        assert.deepEqual([...positions].sort((a, b) => a - b), [0, 1, 2, 3, 4, 5, 6], 'distinct places in the queue across chunks');
      }, 'interrupt-chunks', { usersPerTransaction: 2 }));

    it('expires runs in chunks and leaves a renewed run alone', () =>
      withFixture(async ({ store }) => {
        await pendingUsers(store, 7);
        await store.createRun({ id: 'old', engine: 'e', now: T0, leaseUntil: T0 + MINUTE });
        await store.createRun({ id: 'renewed', engine: 'e', now: T0 + 1, leaseUntil: T0 + MINUTE });
        assert.equal((await store.claimPendingUsers('old', 5, T0 + 2)).length, 5);
        assert.equal((await store.claimPendingUsers('renewed', 5, T0 + 2)).length, 2);
        await store.extendRunLease('renewed', T0 + 10 * MINUTE);
        const expired = await store.expireRuns(T0 + MINUTE, 3);
        assert.deepEqual(expired.map((r) => [r.id, r.retriedUsers, r.error]), [['old', 5, 'lease expired']]);
        assert.deepEqual((await store.listActiveRuns()).map((r) => r.id), ['renewed']);
      }, 'expiry', { usersPerTransaction: 2 }));
  });

  describe('documents', () => {
    it('keeps ids Firestore would refuse as document ids apart', () =>
      withFixture(async ({ store }) => {
        const odd = ['a/b', 'a%2Fb', '.', '..', '__x__', '%', 'a'.repeat(256)];
        for (const [i, id] of odd.entries()) {
          await store.createRun({ id, engine: `e${i}`, now: T0 + i, leaseUntil: T0 + MINUTE });
          await store.setSession(id, { i }, T0 + MINUTE);
        }
        for (const [i, id] of odd.entries()) {
          assert.equal((await store.getRun(id))?.engine, `e${i}`, id);
          assert.deepEqual(await store.getSession(id, T0), { i }, id);
        }
        assert.equal(await store.getUser('no/such/user'), null);
        assert.equal(await store.getUserStatus('__no__'), null);
      }, 'ids'));

    it('stores the session expiry as a TTL Timestamp too, and honours one stored only that way', async () => {
      const projectId = freshProject('ttl');
      const raw = emulatorClient(projectId);
      const store = await openFirestoreStore({ projectId, firestore: emulatorClient(projectId) });
      try {
        await store.setSession('s', { n: 1 }, T0 + 500);
        const doc = (await raw.collection('sessions').doc('s').get()).data();
        assert.ok(doc?.expireAt instanceof Timestamp);
        assert.equal(doc.expireAt.toMillis(), T0 + 500);
        assert.equal(doc.expiresAt, T0 + 500);
        await raw.collection('sessions').doc('t').set({ data: '{"n":2}', expireAt: Timestamp.fromMillis(T0 + 100) });
        assert.deepEqual(await store.getSession('t', T0 + 99), { n: 2 });
        assert.equal(await store.getSession('t', T0 + 100), null);
      } finally {
        await store.close();
        await raw.terminate();
        await resetFirestore(host(), projectId);
      }
    });

    it('counts a user made pending before the claim sequence existed as next in line, and claims it first', async () => {
      const projectId = freshProject('unnumbered');
      const raw = emulatorClient(projectId);
      const store = await openFirestoreStore({ projectId, firestore: emulatorClient(projectId) });
      try {
        const [numbered] = await pendingUsers(store, 1, 'numbered');
        const old = await store.createUser({ username: 'old', email: 'old@example.com', passwordHash: 'h', now: T0 - 10 });
        await raw.collection('users').doc(old.id).update({ state: 'pending', generation: 1, picks: PICKS, stateUpdatedAt: T0 - 10 });
        assert.equal((await store.getQueuedUserStatus(old.id))?.queuePosition, 0);
        assert.equal((await store.getQueuedUserStatus(numbered))?.queuePosition, 0, 'an upper bound only among numbered users');
        await store.createRun({ id: 'r', engine: 'e', now: T0 + 1, leaseUntil: T0 + MINUTE });
        assert.deepEqual((await store.claimPendingUsers('r', 1, T0 + 2)).map((c) => c.userId), [old.id]);
        assert.equal((await store.getQueuedUserStatus(numbered))?.queuePosition, 0);
      } finally {
        await store.close();
        await raw.terminate();
        await resetFirestore(host(), projectId);
      }
    });

    it('keeps stores with different collection prefixes apart in one project', async () => {
      const projectId = freshProject('prefix');
      const blue = await openFirestoreStore({ projectId, collectionPrefix: 'blue_', firestore: emulatorClient(projectId) });
      const green = await openFirestoreStore({ projectId, collectionPrefix: 'green_', firestore: emulatorClient(projectId) });
      try {
        await blue.createUser({ username: 'same', email: 'b@example.com', passwordHash: 'h', now: T0 });
        await green.createUser({ username: 'same', email: 'g@example.com', passwordHash: 'h', now: T0 });
        assert.equal((await blue.findUserByUsername('SAME'))?.email, 'b@example.com');
        assert.equal((await green.findUserByUsername('SAME'))?.email, 'g@example.com');
      } finally {
        await Promise.all([blue.close(), green.close()]);
        await resetFirestore(host(), projectId);
      }
    });
  });

  describe('life cycle', () => {
    it('lets calls in flight finish on close, terminates its client, then rejects every call', async () => {
      const projectId = freshProject('close');
      const client = emulatorClient(projectId);
      let terminated = 0;
      const terminate = client.terminate.bind(client);
      client.terminate = async () => {
        terminated++;
        return terminate();
      };
      const store = await openFirestoreStore({ projectId, firestore: client });
      try {
        await store.ping();
        const inFlight = store.createUser({ username: 'late', email: 'l@example.com', passwordHash: 'h', now: T0 });
        const closing = store.close();
        assert.equal((await inFlight).username, 'late');
        await closing;
        await store.close();
        assert.equal(terminated, 1);
        for (const call of [store.ping(), store.getUser('x'), store.createUser({ username: 'x', email: 'x@example.com', passwordHash: 'h', now: T0 }), store.countUsersByState()]) {
          await assert.rejects(call, StoreUnavailableError);
        }
      } finally {
        await resetFirestore(host(), projectId);
      }
    });

    it('rejects ping() and calls with StoreUnavailableError within their deadline when nothing listens', async () => {
      // A port nobody listens on; FIRESTORE_EMULATOR_HOST (when set) would send the client to the emulator instead.
      const port = await unusedPort();
      const saved = process.env.FIRESTORE_EMULATOR_HOST;
      delete process.env.FIRESTORE_EMULATOR_HOST;
      let client: Firestore;
      try {
        client = createFirestoreClient({ projectId: 'nowhere', host: `127.0.0.1:${port}`, ssl: false });
      } finally {
        if (saved !== undefined) process.env.FIRESTORE_EMULATOR_HOST = saved;
      }
      const store = await openFirestoreStore({ projectId: 'nowhere', firestore: client, pingTimeoutMs: 1_000, operationTimeoutMs: 1_500, closeTimeoutMs: 20_000 });
      try {
        let started = Date.now();
        await assert.rejects(store.ping(), (err: Error) => {
          assert.ok(err instanceof StoreUnavailableError, String(err));
          return true;
        });
        assert.ok(Date.now() - started < 3_000, `ping took ${Date.now() - started} ms`);
        started = Date.now();
        await assert.rejects(store.getUser('u1'), StoreUnavailableError);
        assert.ok(Date.now() - started < 3_500, `getUser took ${Date.now() - started} ms`);
      } finally {
        // Waits for the reads still retrying in the client (bounded by its own retries), then terminates it.
        await store.close();
      }
      await assert.rejects(store.ping(), StoreUnavailableError);
    });

    it('checks its options', async () => {
      await assert.rejects(openFirestoreStore({ projectId: '' }), /projectId/);
      await assert.rejects(openFirestoreStore({ projectId: 'p', collectionPrefix: 'a/b' }), /collectionPrefix/);
      await assert.rejects(openFirestoreStore({ projectId: 'p', usersPerTransaction: 201 }), /usersPerTransaction/);
      await assert.rejects(openFirestoreStore({ projectId: 'p', pingTimeoutMs: 0 }), /pingTimeoutMs/);
    });
  });
});
