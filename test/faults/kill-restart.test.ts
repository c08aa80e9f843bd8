/**
 * The process killed in the middle of a run, for real, on both stores: the compiled server runs as a child process,
 * users sign up and pick over HTTP, and once a run is training the child gets SIGKILL (no handler, nothing flushed).
 * Restarted on the same DATA_DIR (and store), it must bring every user to `ready` with 48 recommendations, each user
 * exactly once and none lost — the sessions still valid — and its logs must hold no password or secret.
 */
import { after, afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import request from 'supertest';
import { NOT_RUNNING_HERE } from '../../src/pipeline/engines/run-outcome.js';
import { SUCCESS_FILE } from '../../src/pipeline/run-folder.js';
import { USER_STATES, type Store } from '../../src/store/index.js';
import { movielensDir } from '../support/movielens.js';
import { STORE_KINDS, stopFirestoreEmulator } from '../support/store-kinds.js';
import { ServerChild, freePort } from './server-child.js';

after(() => stopFirestoreEmulator());

const USERS = 8;
const PASSWORD = 'a password kept out of the logs';
/** Ten distinct five-movie pick sets of much-rated movies. */
const PICK_SETS = [
  [1, 2, 6, 10, 110],
  [260, 1196, 1210, 2571, 1198],
  [318, 296, 593, 2959, 356],
  [4993, 5952, 7153, 2628, 480],
  [1258, 1387, 1997, 2710, 3081],
  [50, 47, 150, 344, 588],
  [589, 457, 527, 590, 380],
  [364, 377, 500, 586, 587],
];

const children: ServerChild[] = [];
afterEach(async () => {
  for (const child of children.splice(0)) await child.kill();
});

type Agent = ReturnType<typeof request.agent>;

async function stateOf(agent: Agent): Promise<{ state: string; items?: { movie: { id: number } }[] }> {
  return (await agent.get('/api/v1/me/recommendations').timeout(5_000).expect(200)).body;
}

/** Waits until no tick holds the lease (so the kill lands in the training, not in a tick's few store calls). */
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

for (const kind of STORE_KINDS) {
  describe(`killed in the middle of a run (${kind.name})`, () => {
    test('SIGKILL while a run trains, restart on the same data: every user ready once, none lost, sessions kept', { timeout: 150_000 }, async () => {
      const opened = await kind.open();
      try {
        const dataDir = opened.env.DATA_DIR;
        const env = {
          ...opened.env,
          NODE_ENV: 'test',
          LOG_LEVEL: 'info',
          MOVIELENS_DIR: movielensDir(),
          ALS_RANK: '8',
          ALS_ITERATIONS: '12', // a run of well under a second: long enough to be killed in, short enough to wait for
          BCRYPT_COST: '4',
          TICK_SECONDS: '3600', // only picks and finished runs nudge the tick: nothing else moves while we watch
          RUN_MAX_ATTEMPTS: '3',
          RATE_LIMIT_SIGNUP_PER_ADDRESS: '1000',
        };
        const port = await freePort();
        const first = await ServerChild.start(port, env);
        children.push(first);

        // Users sign up and pick at once; the first picks start a run, later ones wait for it (pending).
        const agents = await Promise.all(
          PICK_SETS.slice(0, USERS).map(async (picks, i) => {
            const agent = request.agent(first.url);
            const anon = await agent.get('/api/v1/session').expect(200);
            const created = await agent
              .post('/api/v1/users')
              .set('X-CSRF-Token', anon.body.csrfToken as string)
              .send({ username: `killed${i}`, email: `k${i}@example.com`, password: PASSWORD })
              .expect(201);
            await agent.put('/api/v1/me/picks').set('X-CSRF-Token', created.body.csrfToken as string).send({ movieIds: picks }).expect(200);
            return { agent, picks, id: created.body.id as string };
          }),
        );

        // Wait for a run to train, then kill the server in the middle of it.
        const deadline = Date.now() + 30_000;
        while (!(await Promise.all(agents.map(({ agent }) => stateOf(agent)))).some((v) => v.state === 'running')) {
          assert.ok(Date.now() < deadline, 'no run started');
          await sleep(10);
        }
        await leaseFree(opened.store, deadline);
        const [interrupted] = await opened.store.listActiveRuns();
        assert.ok(interrupted, 'a run is active');
        const killed = await first.kill();
        assert.equal(killed.signal, 'SIGKILL');
        assert.equal(existsSync(join(dataDir, 'runs', interrupted.id, SUCCESS_FILE)), false, 'the run had finished before the kill');
        const atKill = await opened.store.countUsersByState();
        assert.ok(atKill.running > 0, JSON.stringify(atKill));

        // Restart on the same data: the old cookies still work, and every user ends ready.
        const second = await ServerChild.start(port, env);
        children.push(second);
        const readyBy = Date.now() + 60_000;
        for (const { agent, picks } of agents) {
          for (;;) {
            const view = await stateOf(agent);
            assert.notEqual(view.state, 'failed');
            if (view.state === 'ready') {
              const ids = view.items!.map((i) => i.movie.id);
              assert.equal(ids.length, 48);
              assert.equal(new Set(ids).size, 48, 'a movie recommended twice');
              assert.ok(ids.every((id) => !picks.includes(id)));
              break;
            }
            assert.ok(Date.now() < readyBy, `still ${view.state} a minute after the restart:\n${second.tail()}`);
            await sleep(50);
          }
        }
        const stopped = await second.stop();
        assert.equal(stopped.code, 0, `a clean stop: ${second.tail()}`);

        // In the store: exactly these users, each ready once for its current picks; the killed run failed, not lost.
        const counts = await opened.store.countUsersByState();
        assert.equal(USER_STATES.reduce((n, s) => n + counts[s], 0), USERS, 'users lost or duplicated');
        assert.equal(counts.ready, USERS);
        for (const { id, picks } of agents) {
          const status = (await opened.store.getUserStatus(id))!;
          assert.deepEqual(status.movieIds, picks);
          assert.equal(status.generation, 1);
          const recs = (await opened.store.getRecommendations(id))!;
          assert.equal(recs.generation, status.generation);
          assert.equal(recs.candidates.length, 300);
        }
        const runs = await opened.store.listRuns({ limit: 20 });
        assert.deepEqual(await opened.store.listActiveRuns(), []);
        const killedRun = runs.find((r) => r.id === interrupted.id)!;
        assert.equal(killedRun.outcome, 'failed');
        assert.equal(killedRun.error, NOT_RUNNING_HERE);
        assert.equal(killedRun.retriedUsers, killedRun.users, 'the killed run\'s users were all retried');
        const imported = runs.filter((r) => r.outcome === 'succeeded').reduce((n, r) => n + r.readyUsers, 0);
        assert.equal(imported, USERS, 'each user imported exactly once');

        // Neither process logged a password, a session cookie or the session secret.
        const output = `${first.output()}\n${second.output()}`;
        assert.ok(output.includes('"msg":"MovieHunter listens'), 'the servers logged');
        assert.ok(!output.includes(PASSWORD), 'a password is in the logs');
        const secret = readFileSync(join(dataDir, 'session-secret'), 'utf8').trim();
        assert.ok(!output.includes(secret), 'the session secret is in the logs');
        assert.doesNotMatch(output, /mh\.sid=s%3A/, 'a session cookie is in the logs');
      } finally {
        for (const child of children.splice(0)) await child.kill();
        await opened.cleanup();
      }
    });
  });
}
