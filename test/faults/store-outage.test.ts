/**
 * The store unreachable, on both stores: pages and the API answer 503 (in the error shape, with Retry-After, no
 * stack), /readyz says not ready while /healthz stays up, nothing half-done is stored, and once the store is back the
 * same process serves again — sessions and all — without a restart.
 *   SQLite: the real database behind a switch that makes every call fail as an unreachable store does
 *           (StoreUnavailableError), since a local file cannot be unplugged;
 *   Firestore: the real emulator behind a TCP proxy that is closed (connections refused) and opened again.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, connect, type Server, type Socket } from 'node:net';
import { setTimeout as sleep } from 'node:timers/promises';
import request from 'supertest';
import { createFirestoreClient } from '../../src/store/firestore/client.js';
import { openFirestoreStore } from '../../src/store/firestore/open.js';
import { StoreUnavailableError, type Store } from '../../src/store/index.js';
import { FIVE_PICKS, OTHER_PICKS, PASSWORD, assertSafeAnswer, makeSecureApp, signUp, type SecureApp } from '../security/support.js';
import { resetFirestore } from '../support/firestore-emulator.js';
import { firestoreEmulator, sqliteKind, stopFirestoreEmulator } from '../support/store-kinds.js';
import { freePort } from './server-child.js';

after(() => stopFirestoreEmulator());

interface Outage {
  store: Store;
  down(): Promise<void>;
  up(): Promise<void>;
  cleanup(): Promise<void>;
}

/** A store whose every call fails like an unreachable backend while `down` (close() always reaches the real one). */
function switchable(real: Store): { store: Store; set: (down: boolean) => void } {
  let down = false;
  const store = new Proxy(real, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function') return value;
      if (prop === 'close') return value.bind(target);
      return (...args: unknown[]) => {
        if (down) return Promise.reject(new StoreUnavailableError('the database does not answer (test switch)'));
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { store, set: (value) => (down = value) };
}

/** A TCP proxy to `target` that can refuse connections (and cut the open ones) and accept them again, on one port. */
async function tcpProxy(target: { host: string; port: number }): Promise<{ port: number; close(): Promise<void>; open(): Promise<void> }> {
  const port = await freePort();
  const sockets = new Set<Socket>();
  let server: Server | null = null;
  const open = () =>
    new Promise<void>((resolve, reject) => {
      if (server) return resolve(); // already open: a second server on the same port would orphan the first
      server = createServer((client) => {
        const upstream = connect(target.port, target.host);
        for (const s of [client, upstream]) {
          sockets.add(s);
          s.on('close', () => sockets.delete(s));
          s.on('error', () => undefined);
        }
        client.pipe(upstream).pipe(client);
      });
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
  const close = () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      if (!server) return resolve();
      server.close(() => resolve());
      server = null;
    });
  await open();
  return { port, open, close };
}

async function sqliteOutage(): Promise<Outage> {
  const opened = await sqliteKind.open();
  const { store, set } = switchable(opened.store);
  return { store, down: async () => set(true), up: async () => set(false), cleanup: () => opened.cleanup() };
}

async function firestoreOutage(): Promise<Outage> {
  const emulator = await firestoreEmulator();
  const [host, port] = emulator.host.split(':');
  const proxy = await tcpProxy({ host, port: Number(port) });
  const projectId = `outage-${process.pid}-${Date.now().toString(36)}`;
  // FIRESTORE_EMULATOR_HOST (when set) would send the client straight to the emulator, past the proxy.
  const saved = process.env.FIRESTORE_EMULATOR_HOST;
  delete process.env.FIRESTORE_EMULATOR_HOST;
  let client;
  try {
    client = createFirestoreClient({ projectId, host: `127.0.0.1:${proxy.port}`, ssl: false });
  } finally {
    if (saved !== undefined) process.env.FIRESTORE_EMULATOR_HOST = saved;
  }
  // Short deadlines, as a web request wants: the library alone would retry an unreachable backend for minutes.
  const store = await openFirestoreStore({ projectId, firestore: client, operationTimeoutMs: 2_500, pingTimeoutMs: 1_000, closeTimeoutMs: 5_000 });
  return {
    store,
    down: () => proxy.close(),
    up: () => proxy.open(),
    async cleanup() {
      await proxy.open().catch(() => undefined);
      await store.close().catch(() => undefined);
      await proxy.close();
      await resetFirestore(emulator.host, projectId).catch(() => undefined);
    },
  };
}

async function waitReady(t: SecureApp, withinMs: number): Promise<number> {
  const start = Date.now();
  for (;;) {
    const res = await request(t.app).get('/readyz');
    if (res.status === 200) return Date.now() - start;
    assert.ok(Date.now() - start < withinMs, `not ready ${withinMs} ms after the store came back: ${JSON.stringify(res.body)}`);
    await sleep(200);
  }
}

for (const [name, make] of [
  ['sqlite', sqliteOutage],
  ['firestore', firestoreOutage],
] as const) {
  describe(`the store unreachable (${name})`, () => {
    test('503 pages and API, readyz false, nothing stored; then recovery in the same process', { timeout: 120_000 }, async () => {
      const outage = await make();
      const t = await makeSecureApp({ store: outage.store });
      try {
        const user = await signUp(t.app, 'steady', FIVE_PICKS);
        await request(t.app).get('/readyz').expect(200);
        const before = (await user.agent.get('/api/v1/me/picks').expect(200)).body;

        await outage.down();
        const started = Date.now();
        const anon = request.agent(t.app);
        const calls: [string, () => Promise<request.Response>][] = [
          ['GET /readyz', () => request(t.app).get('/readyz')],
          ['GET /recommendations', () => user.agent.get('/recommendations')],
          ['GET /picks', () => user.agent.get('/picks')],
          ['GET /', () => user.agent.get('/')],
          ['GET /api/v1/me/picks', () => user.agent.get('/api/v1/me/picks')],
          ['GET /api/v1/me/recommendations', () => user.agent.get('/api/v1/me/recommendations')],
          ['PUT /api/v1/me/picks', () => user.agent.put('/api/v1/me/picks').set('X-CSRF-Token', user.token).send({ movieIds: OTHER_PICKS })],
          ['GET /api/v1/session', () => anon.get('/api/v1/session')],
        ];
        // Nothing may bypass the logger: no raw stack on stderr (Express's fallback handler would print one).
        const stderr: string[] = [];
        const write = process.stderr.write.bind(process.stderr);
        process.stderr.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
          stderr.push(String(chunk));
          return (write as (...a: unknown[]) => boolean)(chunk, ...rest);
        });
        let answers: (readonly [string, request.Response])[];
        try {
          answers = await Promise.all(calls.map(async ([what, call]) => [what, await call()] as const));
          await sleep(50); // errors reported after an answer (a session save) come a moment later
        } finally {
          process.stderr.write = write;
        }
        assert.deepEqual(stderr, [], 'something wrote to stderr past the logger');
        for (const [what, res] of answers) {
          if (what === 'GET /api/v1/session' && res.status === 200) {
            // A visitor's first token: answered, but its session could not be kept, so it will not pass a CSRF check.
            continue;
          }
          assert.equal(res.status, 503, `${what}: ${res.status} ${res.text.slice(0, 200)}`);
          assertSafeAnswer(res, what, { allow5xx: true });
          if (what !== 'GET /readyz') assert.ok(Number(res.headers['retry-after']) > 0, `${what}: Retry-After`);
        }
        const ready = answers.find(([w]) => w === 'GET /readyz')![1];
        assert.deepEqual(ready.body, { ok: false, checks: { store: 'failed', model: 'ok' } });
        const page = answers.find(([w]) => w === 'GET /recommendations')![1];
        assert.match(page.headers['content-type'], /text\/html/);
        assert.match(page.text, /Unavailable for a moment/);
        const api = answers.find(([w]) => w === 'GET /api/v1/me/picks')![1];
        assert.equal(api.body.error.code, 'service_unavailable');
        // What needs no store still works: liveness, and public pages for visitors without a session.
        await request(t.app).get('/healthz').expect(200);
        await request(t.app).get('/best-movies').expect(200);
        await request(t.app).get('/api/v1/movies?q=toy').expect(200);
        const outageMs = Date.now() - started;

        await outage.up();
        const recoveredMs = await waitReady(t, 30_000);
        // The same session, the same data: the change sent during the outage was not half-stored.
        assert.deepEqual((await user.agent.get('/api/v1/me/picks').expect(200)).body, before);
        await user.agent.put('/api/v1/me/picks').set('X-CSRF-Token', user.token).send({ movieIds: OTHER_PICKS }).expect(200);
        assert.deepEqual((await user.agent.get('/api/v1/me/picks').expect(200)).body.movieIds, OTHER_PICKS);
        await signUp(t.app, 'after-outage');
        const again = request.agent(t.app);
        const token = (await again.get('/api/v1/session').expect(200)).body.csrfToken as string;
        await again.post('/api/v1/session').set('X-CSRF-Token', token).send({ username: 'steady', password: PASSWORD }).expect(200);
        console.log(`${name}: outage answered in ${outageMs} ms; ready again ${recoveredMs} ms after the store came back`);
      } finally {
        await outage.cleanup();
      }
    });
  });
}
