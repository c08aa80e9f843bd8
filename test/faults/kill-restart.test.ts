/**
 * The process stopped in the middle of a run, for real, on both stores: the compiled server runs as a child process,
 * 20 users sign up over HTTP and pick, and once a run holds all of them the child gets SIGKILL (no handler, nothing
 * flushed) or SIGTERM (a deploy) — five times in a row, restarted on the same DATA_DIR (and store) each time. A stop
 * is not the users' fault: after the last restart every user ends `ready` with 48 recommendations of their current
 * picks, no attempt spent, the sessions still valid, and the stopped runs are `interrupted` in the history. An engine
 * that really fails (a run past its timeout) still spends attempts and ends `failed`. A SIGTERM while stdout's reader
 * no longer reads ends the process within the shutdown deadline. The logs hold no password or secret.
 */
import { after, afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { constants, closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import request from 'supertest';
import { NOT_RUNNING_HERE } from '../../src/pipeline/engines/run-outcome.js';
import { FAILED_FILE, SUCCESS_FILE } from '../../src/pipeline/run-folder.js';
import { USER_STATES, type Store } from '../../src/store/index.js';
import { movielensDir } from '../support/movielens.js';
import { STORE_KINDS, sqliteKind, stopFirestoreEmulator, type OpenedStore } from '../support/store-kinds.js';
import { ServerChild, freePort, type ServerChildOptions } from './server-child.js';

after(() => stopFirestoreEmulator());

const USERS = 20;
const KILLS = 5;
const MAX_ATTEMPTS = 3;
/** The server's shutdown deadline (src/server.ts), and the slack a busy machine gets on top. */
const SHUTDOWN_DEADLINE_MS = 10_000;
const SLACK_MS = 3_000;
const PASSWORD = 'a password kept out of the logs';
/** Longer than the tick timer's nudge debounce (100 ms), with room for a slow machine. */
const TICK_SETTLE_MS = 500;
/** Much-rated movies; user i picks five of them, a different set each. */
const POPULAR = [1, 2, 6, 10, 32, 47, 50, 110, 150, 260, 296, 318, 344, 356, 364, 377, 380, 457, 480, 500, 527, 588, 589, 590, 593];
const picksOf = (i: number) => [0, 1, 2, 3, 4].map((k) => POPULAR[(i + 5 * k) % POPULAR.length]);

const children: ServerChild[] = [];
afterEach(async () => {
  for (const child of children.splice(0)) await child.kill();
});

type Agent = ReturnType<typeof request.agent>;

interface AppUser {
  readonly agent: Agent;
  readonly id: string;
  readonly csrf: string;
}

/** A run of about two seconds (the data set's 100,000 ratings, rank 16, 15 iterations): long enough to stop it in. */
function serverEnv(opened: OpenedStore, more: Record<string, string> = {}): Record<string, string> {
  return {
    ...opened.env,
    NODE_ENV: 'test',
    LOG_LEVEL: 'info',
    MOVIELENS_DIR: movielensDir(),
    ALS_RANK: '16',
    ALS_ITERATIONS: '15',
    BCRYPT_COST: '4',
    TICK_SECONDS: '3600', // only picks, start-up and finished runs nudge the tick: nothing else moves while we watch
    RUN_MAX_ATTEMPTS: String(MAX_ATTEMPTS),
    RATE_LIMIT_SIGNUP_PER_ADDRESS: '1000',
    ...more,
  };
}

async function start(port: number, env: Record<string, string>, options?: ServerChildOptions): Promise<ServerChild> {
  const child = await ServerChild.start(port, env, options);
  children.push(child);
  return child;
}

async function viewOf(agent: Agent): Promise<{ state: string; items?: { movie: { id: number } }[] }> {
  return (await agent.get('/api/v1/me/recommendations').timeout(5_000).expect(200)).body;
}

/** USERS sign up over HTTP; all but the last get their picks straight in the store, the last over HTTP (which nudges
 *  the tick), so the first run holds every one of them. */
async function signUpAndPick(url: string, store: Store): Promise<AppUser[]> {
  const users = await Promise.all(
    Array.from({ length: USERS }, async (_, i) => {
      const agent = request.agent(url);
      const anon = await agent.get('/api/v1/session').expect(200);
      const created = await agent
        .post('/api/v1/users')
        .set('X-CSRF-Token', anon.body.csrfToken as string)
        .send({ username: `stopped${i}`, email: `s${i}@example.com`, password: PASSWORD })
        .expect(201);
      return { agent, id: created.body.id as string, csrf: created.body.csrfToken as string };
    }),
  );
  // The tick's lease is held while those picks go in, so no tick (the start-up one included) claims only some of them.
  const deadline = Date.now() + 30_000;
  while (!(await store.acquireTickLease('kill-test-picks', Date.now(), 60_000))) {
    assert.ok(Date.now() < deadline, 'a tick held the lease too long');
    await sleep(5);
  }
  try {
    for (const [i, user] of users.slice(0, -1).entries()) await store.savePicks(user.id, picksOf(i), Date.now());
    // Held a while longer: a tick nudged earlier (the first model's import nudges one) fires now and finds the lease
    // taken, instead of firing just after the release and claiming all users but the last.
    await sleep(TICK_SETTLE_MS);
  } finally {
    await store.releaseTickLease('kill-test-picks');
  }
  const last = users[USERS - 1];
  await last.agent.put('/api/v1/me/picks').set('X-CSRF-Token', last.csrf).send({ movieIds: picksOf(USERS - 1) }).expect(200);
  return users;
}

/** Waits until no tick holds the lease (so the stop lands in the training, not in a tick's few store calls). */
async function leaseFree(store: Store, deadline: number): Promise<void> {
  for (;;) {
    if (await store.acquireTickLease('kill-test-probe', Date.now(), 1)) {
      await store.releaseTickLease('kill-test-probe');
      return;
    }
    assert.ok(Date.now() < deadline, 'a tick held the lease too long');
    await sleep(5);
  }
}

/** The one active run not seen before, once it holds every user and no tick is busy. */
async function runHoldingEveryone(store: Store, seen: ReadonlySet<string>, server: ServerChild): Promise<string> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const run = (await store.listActiveRuns()).find((r) => !seen.has(r.id));
    if (run && (await store.countUsersByState()).running === USERS) {
      await leaseFree(store, deadline);
      if ((await store.listActiveRuns()).some((r) => r.id === run.id)) return run.id;
    }
    assert.ok(Date.now() < deadline, `no run with all ${USERS} users:\n${server.tail()}`);
    await sleep(10);
  }
}

/** Every user `ready` with 48 recommendations of its current picks (none of them), as the API shows it. */
async function allReady(users: readonly AppUser[], server: ServerChild, withinMs = 60_000): Promise<void> {
  const deadline = Date.now() + withinMs;
  for (const [i, { agent }] of users.entries()) {
    for (;;) {
      const view = await viewOf(agent);
      assert.notEqual(view.state, 'failed', `user ${i} failed:\n${server.tail()}`);
      if (view.state === 'ready') {
        const ids = view.items!.map((item) => item.movie.id);
        assert.equal(ids.length, 48);
        assert.equal(new Set(ids).size, 48, 'a movie recommended twice');
        assert.ok(ids.every((id) => !picksOf(i).includes(id)), 'a pick recommended');
        break;
      }
      assert.ok(Date.now() < deadline, `user ${i} still ${view.state}:\n${server.tail()}`);
      await sleep(50);
    }
  }
}

/** In the store: exactly these users, each ready once for its current picks with no attempt spent. */
async function assertStoreReady(store: Store, users: readonly AppUser[], interrupted: readonly string[]): Promise<void> {
  const counts = await store.countUsersByState();
  assert.equal(USER_STATES.reduce((n, s) => n + counts[s], 0), USERS, 'users lost or duplicated');
  assert.equal(counts.ready, USERS);
  for (const [i, { id }] of users.entries()) {
    const status = (await store.getUserStatus(id))!;
    assert.deepEqual([status.movieIds, status.generation, status.attempts, status.error], [picksOf(i), 1, 0, null]);
    const recs = (await store.getRecommendations(id))!;
    assert.deepEqual([recs.generation, recs.candidates.length], [1, 300]);
  }
  assert.deepEqual(await store.listActiveRuns(), []);
  const runs = await store.listRuns({ limit: 50 });
  for (const id of interrupted) {
    const run = runs.find((r) => r.id === id)!;
    assert.deepEqual([run.outcome, run.error, run.users, run.retriedUsers, run.failedUsers], ['interrupted', NOT_RUNNING_HERE, USERS, USERS, 0]);
  }
  assert.deepEqual(runs.filter((r) => r.outcome === 'failed'), [], 'a stop counted as a failure');
  assert.equal(runs.filter((r) => r.outcome === 'succeeded').reduce((n, r) => n + r.readyUsers, 0), USERS, 'each user imported exactly once');
}

function assertNoSecrets(servers: readonly ServerChild[], dataDir: string): void {
  const output = servers.map((s) => s.output()).join('\n');
  assert.ok(output.includes('"msg":"MovieHunter listens'), 'the servers logged');
  assert.ok(!output.includes(PASSWORD), 'a password is in the logs');
  const secret = readFileSync(join(dataDir, 'session-secret'), 'utf8').trim();
  assert.ok(!output.includes(secret), 'the session secret is in the logs');
  assert.doesNotMatch(output, /mh\.sid=s%3A/, 'a session cookie is in the logs');
}

for (const kind of STORE_KINDS) {
  describe(`stopped in the middle of a run (${kind.name})`, () => {
    for (const signal of ['SIGKILL', 'SIGTERM'] as const) {
      test(`${signal} five times in a row with ${USERS} users running: all ready after the last restart, no attempt spent`, { timeout: 240_000 }, async () => {
        const opened = await kind.open();
        try {
          const dataDir = opened.env.DATA_DIR;
          const env = serverEnv(opened);
          const port = await freePort();
          const servers = [await start(port, env)];
          const users = await signUpAndPick(servers[0].url, opened.store);

          const interrupted: string[] = [];
          for (let i = 0; i < KILLS; i++) {
            const server = servers[servers.length - 1];
            const runId = await runHoldingEveryone(opened.store, new Set(interrupted), server);
            const began = Date.now();
            const exit = signal === 'SIGKILL' ? await server.kill() : await server.stop(SHUTDOWN_DEADLINE_MS + SLACK_MS);
            if (signal === 'SIGKILL') assert.equal(exit.signal, 'SIGKILL');
            else assert.deepEqual([exit.code, exit.signal], [0, null], `a clean stop:\n${server.tail()}`);
            assert.ok(Date.now() - began < SHUTDOWN_DEADLINE_MS + SLACK_MS, 'the stop took longer than its deadline');
            const folder = join(dataDir, 'runs', runId);
            assert.equal(existsSync(join(folder, SUCCESS_FILE)), false, 'the run had finished before the stop');
            assert.equal(existsSync(join(folder, FAILED_FILE)), false, 'the stop was recorded as a failure of the run');
            assert.equal((await opened.store.countUsersByState()).running, USERS, 'the run\'s users are left for the next start');
            interrupted.push(runId);
            servers.push(await start(port, env)); // the same data: the old cookies still work
          }
          const last = servers[servers.length - 1];
          await allReady(users, last);
          await assertStoreReady(opened.store, users, interrupted);

          // An engine that really fails: every run past its timeout (1 s) spends an attempt, then the user is failed.
          const stopped = await last.stop();
          assert.equal(stopped.code, 0, `a clean stop:\n${last.tail()}`);
          const failing = await start(port, serverEnv(opened, { RUN_TIMEOUT_SECONDS: '1', ALS_ITERATIONS: '300' }));
          servers.push(failing);
          const [victim, ...others] = users;
          await victim.agent.put('/api/v1/me/picks').set('X-CSRF-Token', victim.csrf).send({ movieIds: picksOf(USERS) }).expect(200);
          const deadline = Date.now() + 40_000;
          while ((await viewOf(victim.agent)).state !== 'failed') {
            assert.ok(Date.now() < deadline, `not failed after ${MAX_ATTEMPTS} timeouts:\n${failing.tail()}`);
            await sleep(50);
          }
          const status = (await opened.store.getUserStatus(victim.id))!;
          assert.equal(status.attempts, MAX_ATTEMPTS);
          assert.match(status.error!, /timed out/);
          const failedRuns = (await opened.store.listRuns({ limit: 50 })).filter((r) => r.outcome === 'failed');
          assert.equal(failedRuns.length, MAX_ATTEMPTS);
          for (const { agent } of others) assert.equal((await viewOf(agent)).state, 'ready');
          assert.equal((await failing.stop()).code, 0);
          assertNoSecrets(servers, dataDir);
        } finally {
          for (const child of children.splice(0)) await child.kill();
          await opened.cleanup();
        }
      });
    }

    test('SIGTERM while a run trains and stdout is a full pipe nobody reads: gone within the deadline, users picked up after restart', { timeout: 180_000 }, async () => {
      const opened = await kind.open();
      const fifoDir = mkdtempSync(join(tmpdir(), 'moviehunter-fifo-'));
      const fifo = join(fifoDir, 'stdout');
      execFileSync('mkfifo', [fifo]);
      // The read end is held open here and never read: the pipe fills, as when the reader of `npm start` has gone.
      const reader = openSync(fifo, constants.O_RDONLY | constants.O_NONBLOCK);
      const writer = openSync(fifo, constants.O_WRONLY);
      try {
        // A long training, so the run the picks start is still training when the stop comes.
        const env = serverEnv(opened, { LOG_LEVEL: 'debug', ALS_ITERATIONS: '300' });
        const port = await freePort();
        const first = await start(port, env, { outputFd: writer });
        // Far more log lines than a pipe holds (64 KiB): every request is logged. Filled before the picks.
        for (let i = 0; i < 20; i++) await Promise.all(Array.from({ length: 25 }, () => fetch(`${first.url}/healthz`).then((r) => r.arrayBuffer())));
        const users = await signUpAndPick(first.url, opened.store);
        const runId = await runHoldingEveryone(opened.store, new Set(), first);
        const began = Date.now();
        const exit = await first.stop(SHUTDOWN_DEADLINE_MS + SLACK_MS);
        const took = Date.now() - began;
        assert.equal(exit.signal, null, `the server did not end by itself within ${SHUTDOWN_DEADLINE_MS + SLACK_MS} ms`);
        assert.ok(took < SHUTDOWN_DEADLINE_MS + SLACK_MS, `the stop took ${took} ms`);
        assert.equal(existsSync(join(opened.env.DATA_DIR, 'runs', runId, FAILED_FILE)), false);

        const second = await start(port, serverEnv(opened));
        await allReady(users, second);
        await assertStoreReady(opened.store, users, [runId]);
      } finally {
        for (const child of children.splice(0)) await child.kill();
        closeSync(reader);
        closeSync(writer);
        rmSync(fifoDir, { recursive: true, force: true });
        await opened.cleanup();
      }
    });
  });
}

describe('a stop that cannot finish in time', () => {
  test('SIGTERM while the start-up model still trains: exit 1 at the deadline, naming what was left undone', { timeout: 60_000 }, async () => {
    const opened = await sqliteKind.open();
    try {
      // A start-up training far longer than the deadline (no model yet: the first start trains one).
      const server = ServerChild.spawn(await freePort(), serverEnv(opened, { ALS_RANK: '64', ALS_ITERATIONS: '1000' }));
      children.push(server);
      await server.logged('no base model yet: training one');
      const began = Date.now();
      const exit = await server.stop(SHUTDOWN_DEADLINE_MS + SLACK_MS);
      const took = Date.now() - began;
      assert.deepEqual([exit.code, exit.signal], [1, null], `exit 1 by itself:\n${server.tail()}`);
      assert.ok(took >= SHUTDOWN_DEADLINE_MS - 500 && took < SHUTDOWN_DEADLINE_MS + SLACK_MS, `the stop took ${took} ms`);
      const line = server.output().split('\n').find((l) => l.includes('the stop passed its deadline'));
      assert.ok(line, `the deadline was logged:\n${server.tail()}`);
      const { undone } = JSON.parse(line) as { undone: string[] };
      assert.deepEqual(undone, ['wait for the pipeline to start', 'stop the pipeline (the tick in flight, then the training)', 'stop the poster look-ups', 'close the store']);
    } finally {
      for (const child of children.splice(0)) await child.kill();
      await opened.cleanup();
    }
  });
});
