/**
 * Races over HTTP, on both stores (SQLite in a file, Firestore on its emulator): 50 concurrent sign-ups with one
 * name make exactly one account; concurrent pick changes — the last one the store applied wins, and the quick and
 * full recommendations shown are those of the winning picks; two ticks at once start one run, not two.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import request from 'supertest';
import { localRunFolders } from '../../src/pipeline/run-files.js';
import { readRunInput } from '../../src/pipeline/run-folder.js';
import { createPipeline } from '../../src/pipeline/tick.js';
import type { Store, UserStatus } from '../../src/store/index.js';
import { HangingEngine, logger, settings, smallParams, tempDir, testEngine } from '../pipeline/support.js';
import { STORE_KINDS, stopFirestoreEmulator } from '../support/store-kinds.js';
import { PASSWORD, TICK_TOKEN, makeSecureApp, signUp } from './support.js';

after(() => stopFirestoreEmulator());

/** Distinct valid pick sets of five much-rated movies. */
const PICK_SETS = [
  [1, 2, 6, 10, 110],
  [260, 1196, 1210, 2571, 1198],
  [318, 296, 593, 2959, 356],
  [4993, 5952, 7153, 2628, 480],
  [1258, 1387, 1997, 2710, 3081],
  [50, 47, 150, 344, 588],
  [589, 457, 527, 590, 380],
  [364, 377, 500, 586, 587],
  [1, 260, 318, 4993, 1258],
  [2, 1196, 296, 5952, 1387],
  [6, 1210, 593, 7153, 1997],
  [10, 2571, 2959, 2628, 2710],
];

/** The store, recording every savePicks it completed, in completion order. */
function recordingSaves(store: Store, saves: UserStatus[]): Store {
  return new Proxy(store, {
    get(target, prop, receiver) {
      if (prop === 'savePicks') {
        return async (...args: Parameters<Store['savePicks']>) => {
          const status = await target.savePicks(...args);
          saves.push(status);
          return status;
        };
      }
      const value = Reflect.get(target, prop, receiver);
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

for (const kind of STORE_KINDS) {
  describe(`races (${kind.name})`, () => {
    test('50 concurrent sign-ups with one name (in any case) make exactly one account', async () => {
      const opened = await kind.open();
      const t = await makeSecureApp({ store: opened.store });
      try {
        const agents = await Promise.all(
          Array.from({ length: 50 }, async () => {
            const agent = request.agent(t.app);
            return { agent, token: (await agent.get('/api/v1/session').expect(200)).body.csrfToken as string };
          }),
        );
        const results = await Promise.all(
          agents.map(({ agent, token }, i) =>
            agent.post('/api/v1/users').set('X-CSRF-Token', token).send({ username: i % 2 === 0 ? 'Racer' : 'rACER', email: `r${i}@example.com`, password: PASSWORD }),
          ),
        );
        const statuses = results.map((r) => r.status);
        assert.equal(statuses.filter((s) => s === 201).length, 1, `statuses: ${statuses.join(' ')}`);
        assert.equal(statuses.filter((s) => s === 409).length, 49, `statuses: ${statuses.join(' ')}`);
        const winner = results.findIndex((r) => r.status === 201);
        const counts = await t.store.countUsersByState();
        assert.equal(Object.values(counts).reduce((a, b) => a + b, 0), 1);
        const user = await t.store.findUserByUsername('racer');
        assert.equal(user?.id, results[winner].body.id);
        assert.equal(user?.email, `r${winner}@example.com`, 'the account is the winner\'s, not a mix');
        assert.equal((await agents[winner].agent.get('/api/v1/session')).body.user.id, user?.id);
        for (const [i, { agent }] of agents.entries()) if (i !== winner) assert.equal((await agent.get('/api/v1/session')).body.user, null);
      } finally {
        await opened.cleanup();
      }
    });

    test('concurrent pick changes: the last one saved wins, and the quick and full recommendations shown are its own', async () => {
      const opened = await kind.open();
      const saves: UserStatus[] = [];
      const t = await makeSecureApp({ store: recordingSaves(opened.store, saves) });
      const engine = testEngine();
      const runsDir = tempDir('race-runs-');
      const pipeline = createPipeline({ store: t.store, engine, folders: localRunFolders(runsDir), params: smallParams(), settings, logger });
      try {
        const me = await signUp(t.app, 'picker');
        // Two sessions of the same user, like two browser tabs, each sending several changes at once.
        const other = request.agent(t.app);
        const otherToken = (await other.get('/api/v1/session')).body.csrfToken as string;
        const second = (await other.post('/api/v1/session').set('X-CSRF-Token', otherToken).send({ username: 'picker', password: PASSWORD }).expect(200)).body.csrfToken as string;
        const sessions = [
          { agent: me.agent, token: me.token },
          { agent: other, token: second },
        ];
        const put = (i: number) => sessions[i % 2].agent.put('/api/v1/me/picks').set('X-CSRF-Token', sessions[i % 2].token).send({ movieIds: PICK_SETS[i] });
        const answers = await Promise.all(PICK_SETS.map((_, i) => put(i)));
        assert.deepEqual(answers.map((a) => a.status), PICK_SETS.map(() => 200));

        // Every change was applied (none lost), one after another; the last applied is what the user has.
        const status = (await t.store.getUserStatus(me.id))!;
        assert.equal(status.generation, PICK_SETS.length);
        assert.deepEqual(saves.map((s) => s.generation).sort((a, b) => a - b), PICK_SETS.map((_, i) => i + 1));
        const last = saves.reduce((a, b) => (b.generation > a.generation ? b : a));
        assert.deepEqual(status.movieIds, last.movieIds);
        assert.deepEqual((await me.agent.get('/api/v1/me/picks').expect(200)).body.movieIds, last.movieIds);

        // The quick 12 shown are those of the winning picks: the same as computing them for those picks now.
        const shown = (await me.agent.get('/api/v1/me/recommendations/quick').expect(200)).body.items as { movie: { id: number }; because: { id: number } }[];
        const fresh = (await me.agent.post('/api/v1/recommendations/quick').set('X-CSRF-Token', me.token).send({ movieIds: last.movieIds }).expect(200)).body.items as { movie: { id: number } }[];
        assert.deepEqual(shown.map((i) => i.movie.id), fresh.map((i) => i.movie.id));
        assert.ok(shown.every((i) => last.movieIds.includes(i.because.id)));
        assert.equal((await t.store.getQuickRecommendations(me.id))?.generation, status.generation);

        // A run starts on those picks; two more changes race it; only the picks in force at the end are computed.
        const first = await pipeline.tick();
        assert.equal(first.started?.users, 1);
        const [late] = await Promise.all([put(0), put(1)].map((p) => p.then((r) => r.status)));
        assert.equal(late, 200);
        await engine.settled({ id: first.started.runId, folder: localRunFolders(runsDir).folder(first.started.runId) });
        const settled = await pipeline.tick();
        assert.equal(settled.finished[0].staleResults, 1, 'the result for older picks was not imported');
        assert.notEqual((await me.agent.get('/api/v1/me/recommendations').expect(200)).body.state, 'ready');
        assert.ok(settled.started, 'the latest picks are claimed at once');
        await engine.settled({ id: settled.started.runId, folder: localRunFolders(runsDir).folder(settled.started.runId) });
        await pipeline.tick();

        const final = (await t.store.getUserStatus(me.id))!;
        assert.equal(final.generation, PICK_SETS.length + 2);
        const view = (await me.agent.get('/api/v1/me/recommendations').expect(200)).body as { state: string; items: { movie: { id: number } }[] };
        assert.equal(view.state, 'ready');
        assert.equal(view.items.length, 48);
        assert.ok(view.items.every((i) => !final.movieIds.includes(i.movie.id)));
        assert.equal((await t.store.getRecommendations(me.id))?.generation, final.generation);
        const input = await readRunInput(localRunFolders(runsDir).folder(settled.started.runId));
        assert.deepEqual(input.users.map((u) => u.movies), [final.movieIds], 'the run computed the winning picks');
      } finally {
        await engine.close();
        await opened.cleanup();
      }
    });

    test('two ticks at once over /internal/tick (and a third from another instance) start one run, not two', async () => {
      const opened = await kind.open();
      const engine = new HangingEngine();
      const runsDir = tempDir('race-ticks-');
      const make = () => createPipeline({ store: opened.store, engine, folders: localRunFolders(runsDir), params: smallParams(), settings, logger });
      const one = make();
      const t = await makeSecureApp({ store: opened.store, services: { tick: () => one.tick() } });
      try {
        for (const [i, name] of ['ann', 'ben', 'cat'].entries()) await signUp(t.app, name, PICK_SETS[i]);
        const another = make(); // a second app instance: its own pipeline, the same store
        const tick = () => request(t.app).post('/internal/tick').set('Authorization', `Bearer ${TICK_TOKEN}`);
        const [a, b, c] = await Promise.all([tick(), tick(), another.tick()]);
        assert.equal(a.status, 200);
        assert.equal(b.status, 200);
        const reports = [a.body, b.body, c] as { started: { runId: string; users: number } | null; skipped: string | null; running: string[] }[];
        assert.equal(reports.filter((r) => r.started).length, 1, JSON.stringify(reports));
        const started = reports.find((r) => r.started)!.started!;
        assert.equal(started.users, 3);
        // The others were kept out by the lease, or came after it and found the run going.
        for (const r of reports) if (!r.started) assert.ok(r.skipped !== null || r.running.includes(started.runId), JSON.stringify(r));
        assert.equal(engine.submitted.length, 1);
        assert.equal((await opened.store.listRuns({ limit: 10 })).length, 1);
        assert.equal((await opened.store.countUsersByState()).running, 3);
        // Once the lease is free, a tick sees the run going and starts nothing more.
        const next = await tick().expect(200);
        assert.equal(next.body.started, null);
        assert.equal(next.body.running.length, 1);
      } finally {
        await opened.cleanup();
      }
    });
  });
}
