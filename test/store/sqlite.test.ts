import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { SchemaUnsupportedError, StoreUnavailableError } from '../../src/store/errors.js';
import { MIGRATIONS, SCHEMA_VERSION } from '../../src/store/sqlite/migrations.js';
import { openSqliteStore } from '../../src/store/sqlite/open.js';
import type { Store } from '../../src/store/store.js';
import { runStoreContract } from './contract.js';
import type { StoreFixture } from './contract.js';
import type { RaceInput, RaceOutcome, RaceTask } from './race-worker.js';

const root = await mkdtemp(join(tmpdir(), 'moviehunter-store-'));
after(() => rm(root, { recursive: true, force: true }));
let fixtures = 0;

/** A fresh database file; every handle is its own connection to it, so races go through SQLite's locking. */
async function fileFixture(): Promise<StoreFixture> {
  const path = join(root, `contract-${++fixtures}`, 'store.db');
  const handles: Store[] = [];
  const connect = async () => {
    const store = await openSqliteStore(path);
    handles.push(store);
    return store;
  };
  return {
    store: await connect(),
    connect,
    cleanup: async () => {
      for (const store of handles) await store.close();
      await rm(join(path, '..'), { recursive: true, force: true });
    },
  };
}

runStoreContract('sqlite', fileFixture);

/** Starts one worker per task, opens the gate once all are ready, and collects what each did. */
async function race(path: string, tasks: RaceTask[]): Promise<RaceOutcome[]> {
  const gate = new SharedArrayBuffer(4);
  let ready = 0;
  let release: () => void;
  const allReady = new Promise<void>((resolve) => (release = resolve));
  const outcomes = tasks.map((task) => {
    const workerData: RaceInput = { path, gate, task };
    const worker = new Worker(new URL('./race-worker.js', import.meta.url), { workerData });
    return new Promise<RaceOutcome>((resolve, reject) => {
      worker.on('message', (message: 'ready' | RaceOutcome) => {
        if (message !== 'ready') return resolve(message);
        if (++ready === tasks.length) release();
      });
      worker.on('error', reject);
      worker.on('exit', (code) => reject(new Error(`worker exited with ${code} before reporting`)));
    });
  });
  await allReady;
  Atomics.store(new Int32Array(gate), 0, 1);
  Atomics.notify(new Int32Array(gate), 0);
  return Promise.all(outcomes);
}

describe('sqlite adapter', () => {
  it('works in memory', async () => {
    const store = await openSqliteStore(':memory:');
    const user = await store.createUser({ username: 'Mem', email: 'm@example.com', passwordHash: 'h', now: 1 });
    assert.deepEqual(await store.findUserByUsername('mem'), user);
    await store.close();
  });

  it('creates the folder, uses WAL and records the schema version', async () => {
    const path = join(root, 'fresh', 'nested', 'store.db');
    await (await openSqliteStore(path)).close();
    const raw = new Database(path);
    assert.equal(raw.pragma('journal_mode', { simple: true }), 'wal');
    assert.equal(raw.pragma('user_version', { simple: true }), SCHEMA_VERSION);
    raw.close();
    await (await openSqliteStore(path)).close();
  });

  it('migrates a version 1 database (before the poster cache) and keeps its data', async () => {
    const path = join(root, 'v1.db');
    const raw = new Database(path);
    raw.exec(MIGRATIONS[0]);
    raw.pragma('user_version = 1');
    raw.prepare(`INSERT INTO users (id, username, username_key, email, role, password_hash, created_at, state_updated_at)
                 VALUES ('u1', 'Old', 'old', 'o@example.com', 'user', 'h', 1, 1)`).run();
    raw.close();
    const store = await openSqliteStore(path);
    assert.equal((await store.findUserByUsername('old'))?.id, 'u1');
    await store.savePoster({ movieId: 1, path: '/p.jpg', checkedAt: 2 });
    assert.equal((await store.getPosters([1])).get(1)?.path, '/p.jpg');
    await store.close();
    const check = new Database(path);
    assert.equal(check.pragma('user_version', { simple: true }), SCHEMA_VERSION);
    check.close();
  });

  it('migrates a version 2 database: a ready user whose 48 carry no because is pending again, to be recomputed', async () => {
    const path = join(root, 'v2.db');
    const raw = new Database(path);
    raw.exec(MIGRATIONS[0]);
    raw.exec(MIGRATIONS[1]);
    raw.pragma('user_version = 2');
    raw.prepare(`INSERT INTO runs (id, engine, outcome, created_at, lease_until) VALUES ('r', 'inprocess', 'succeeded', 1, 2)`).run();
    const user = raw.prepare(`INSERT INTO users (id, username, username_key, email, role, password_hash, created_at, state, generation, picks, state_updated_at)
                              VALUES (?, ?, ?, 'x@example.com', 'user', 'h', 1, 'ready', 1, '[1,2,3,4,5]', 3)`);
    user.run('old', 'Old', 'old');
    user.run('new', 'New', 'new');
    const recs = raw.prepare(`INSERT INTO recommendations (user_id, generation, run_id, items, created_at) VALUES (?, 1, 'r', ?, 3)`);
    recs.run('old', JSON.stringify([{ movieId: 10, score: 1 }]));
    recs.run('new', JSON.stringify([{ movieId: 10, score: 1, because: 2 }]));
    raw.close();
    const store = await openSqliteStore(path);
    assert.equal((await store.getUserStatus('old'))?.state, 'pending');
    assert.equal(await store.getRecommendations('old'), null);
    assert.equal((await store.getUserStatus('new'))?.state, 'ready');
    assert.deepEqual((await store.getRecommendations('new'))?.candidates, [{ movieId: 10, score: 1, because: 2 }]);
    await store.close();
  });

  it('migrates a version 4 database (before interrupted runs) with a run in flight and keeps its references', async () => {
    const path = join(root, 'v4.db');
    const raw = new Database(path);
    for (const migration of MIGRATIONS.slice(0, 4)) raw.exec(migration);
    raw.pragma('user_version = 4');
    raw.pragma('foreign_keys = ON');
    raw.exec(`INSERT INTO runs (id, engine, outcome, created_at, lease_until, users) VALUES ('old', 'inprocess', 'succeeded', 1, 2, 1),
                ('live', 'inprocess', 'running', 3, 99, 1);
              INSERT INTO users (id, username, username_key, email, role, password_hash, created_at, state, generation, picks, run_id, attempts, error, state_updated_at)
                VALUES ('u1', 'Old', 'old', 'o@example.com', 'user', 'h', 1, 'running', 1, '[1,2,3,4,5]', 'live', 2, 'boom', 3);
              INSERT INTO recommendations (user_id, generation, run_id, items, created_at) VALUES ('u1', 1, 'old', '[]', 2);`);
    raw.close();
    const store = await openSqliteStore(path);
    assert.equal((await store.getRecommendations('u1'))?.runId, 'old');
    const run = await store.interruptRun('live', 'the app restarted', 10);
    assert.deepEqual([run.outcome, run.retriedUsers], ['interrupted', 1]);
    const status = await store.getUserStatus('u1');
    assert.deepEqual([status?.state, status?.attempts, status?.error], ['pending', 2, 'boom']);
    await store.close();
    const check = new Database(path);
    assert.equal(check.pragma('user_version', { simple: true }), SCHEMA_VERSION);
    assert.deepEqual(check.pragma('foreign_key_check'), []);
    assert.throws(() => check.prepare("INSERT INTO runs (id, engine, outcome, created_at, lease_until) VALUES ('x', 'e', 'lost', 1, 1)").run(), /CHECK/);
    check.close();
  });

  it('migrates a version 5 database: quick lists stored without a scorer (only their 12) are dropped, the others kept', async () => {
    const path = join(root, 'v5.db');
    const raw = new Database(path);
    for (const migration of MIGRATIONS.slice(0, 5)) raw.exec(migration);
    raw.pragma('user_version = 5');
    const user = raw.prepare(`INSERT INTO users (id, username, username_key, email, role, password_hash, created_at, state, generation, picks, state_updated_at)
                              VALUES (?, ?, ?, 'x@example.com', 'user', 'h', 1, 'pending', 1, '[1,2,3,4,5]', 3)`);
    user.run('old', 'Old', 'old');
    user.run('new', 'New', 'new');
    const quick = raw.prepare(`INSERT INTO quick_recommendations (user_id, generation, items, created_at, method) VALUES (?, 1, ?, 3, ?)`);
    quick.run('old', JSON.stringify([{ movieId: 10, score: 1, because: 2 }]), null);
    quick.run('new', JSON.stringify([{ movieId: 10, score: 1, because: 2 }]), 'itemsim');
    raw.close();
    const store = await openSqliteStore(path);
    assert.equal(await store.getQuickRecommendations('old'), null);
    assert.equal((await store.getQuickRecommendations('new'))?.method, 'itemsim');
    assert.deepEqual(await store.listReactions('new'), []);
    await store.close();
  });

  it('refuses a database written by a newer schema', async () => {
    const path = join(root, 'newer.db');
    const raw = new Database(path);
    raw.pragma(`user_version = ${SCHEMA_VERSION + 1}`);
    raw.close();
    await assert.rejects(openSqliteStore(path), SchemaUnsupportedError);
  });

  it('reports a path it cannot open as StoreUnavailableError', async () => {
    await assert.rejects(openSqliteStore(root), StoreUnavailableError);
  });

  it('opens a new database file from 4 threads at once (web workers starting together), each time', async () => {
    for (let round = 0; round < 5; round++) {
      const path = join(root, `race-open-${round}`, 'store.db');
      const outcomes = await race(path, [0, 1, 2, 3].map(() => ({ kind: 'open' })));
      assert.deepEqual(outcomes.flatMap((o) => o.errors), []);
      const db = new Database(path, { readonly: true });
      assert.deepEqual([db.pragma('journal_mode', { simple: true }), db.pragma('user_version', { simple: true })], ['wal', SCHEMA_VERSION]);
      db.close();
    }
  });

  it('lets one of 50 sign-ups racing from 5 threads win', async () => {
    const path = join(root, 'race-users.db');
    await (await openSqliteStore(path)).close();
    const outcomes = await race(path, ['Racer', 'racer', 'RACER', 'rAcEr', 'racer'].map((username) => ({ kind: 'createUser', username, calls: 10 })));
    assert.deepEqual(outcomes.flatMap((o) => o.errors), []);
    assert.equal(outcomes.reduce((n, o) => n + o.created, 0), 1);
    assert.equal(outcomes.reduce((n, o) => n + o.taken, 0), 49);
  });

  it('gives every pending user to exactly one of 4 threads claiming at once', async () => {
    const path = join(root, 'race-claims.db');
    const store = await openSqliteStore(path);
    const ids: string[] = [];
    for (let i = 0; i < 60; i++) {
      const user = await store.createUser({ username: `u${i}`, email: 'e@example.com', passwordHash: 'h', now: i });
      await store.savePicks(user.id, [1, 2, 3, 4, 5], i);
      ids.push(user.id);
    }
    for (let w = 0; w < 4; w++) await store.createRun({ id: `r${w}`, engine: 'e', now: 0, leaseUntil: Date.now() + 60_000 });
    const outcomes = await race(path, [0, 1, 2, 3].map((w) => ({ kind: 'claim', runId: `r${w}`, limit: 1 })));
    assert.deepEqual(outcomes.flatMap((o) => o.errors), []);
    const claimed = outcomes.flatMap((o) => o.claimed);
    assert.deepEqual([...claimed].sort(), [...ids].sort());
    const runs = await Promise.all([0, 1, 2, 3].map((w) => store.getRun(`r${w}`)));
    assert.deepEqual(runs.map((r) => r?.users), outcomes.map((o) => o.claimed.length));
    await store.close();
  });
});
