/**
 * The whole product through HTTP, with nothing stood in: SQLite, the real MovieLens data, an engine training for
 * real (small rank to stay quick) and the embedded timer ticking on its own. Each engine's flow test runs it.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { startMovieHunter, type MovieHunter } from '../../src/bootstrap/movie-hunter.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/log.js';
import { movielensDir } from '../support/movielens.js';

export interface FlowOptions {
  /** Extra settings, e.g. ENGINE. */
  readonly env: Readonly<Record<string, string>>;
  /** How long one training may take before the test gives up. */
  readonly readyWithinMs: number;
  /** The engine that must have trained the models in service. */
  readonly engine: string;
  /** Starts what the flow needs first (an emulator); its env joins the settings, stop runs at the end. */
  readonly setUp?: () => Promise<{ env: Record<string, string>; stop(): Promise<void> }>;
}

export function describeFullFlow(name: string, options: FlowOptions): void {
  describe(name, () => {
    let hunter: MovieHunter;
    let dataDir: string;

    let tearDown: (() => Promise<void>) | null = null;

    before(async () => {
      const extra = options.setUp ? await options.setUp() : null;
      tearDown = extra ? () => extra.stop() : null;
      const config = loadConfig({
        NODE_ENV: 'test',
        DATA_DIR: (dataDir = mkdtempSync(join(tmpdir(), 'mh-flow-'))),
        MOVIELENS_DIR: movielensDir(),
        ALS_RANK: '16', // rank 8 × 3 iterations is too coarse to tell action fans from horror fans
        ALS_ITERATIONS: '5',
        BCRYPT_COST: '4',
        TICK_SECONDS: '3600', // only the nudge after a pick change may start a run: the flow must not depend on the interval
        ...options.env,
        ...extra?.env,
      });
      hunter = await startMovieHunter(config, createLogger(config));
      await hunter.modelReady;
    });

    after(async () => {
      await hunter?.close();
      await tearDown?.();
    });

    type Agent = ReturnType<typeof request.agent>;

    async function csrfToken(agent: Agent): Promise<string> {
      const res = await agent.get('/api/v1/session').expect(200);
      return res.body.csrfToken as string;
    }

    /** Polls the full recommendations until they are ready (bounded: a stuck pipeline fails the test, it never hangs). */
    async function waitUntilReady(agent: Agent): Promise<{ state: string; items: { movie: { id: number }; because: { id: number } }[] }> {
      const deadline = Date.now() + options.readyWithinMs;
      for (;;) {
        const res = await agent.get('/api/v1/me/recommendations').expect(200);
        if (res.body.state === 'ready' || res.body.state === 'failed') return res.body;
        assert.ok(Date.now() < deadline, `still ${res.body.state} after ${options.readyWithinMs / 1000} s`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }

    test('sign up, log in, search, pick, quick 12, full 48, change picks: stale results never shown', async () => {
      const agent = request.agent(hunter.app);
      await agent.get('/readyz').expect(200);

      // Sign up, log out, log in again.
      let token = await csrfToken(agent);
      await agent
        .post('/api/v1/users')
        .set('X-CSRF-Token', token)
        .send({ username: 'FlowUser', email: 'flow@example.com', password: 'a long passphrase' })
        .expect(201);
      token = await csrfToken(agent);
      await agent.delete('/api/v1/session').set('X-CSRF-Token', token).expect(204);
      assert.equal((await agent.get('/api/v1/session').expect(200)).body.user, null);
      token = await csrfToken(agent);
      const login = await agent.post('/api/v1/session').set('X-CSRF-Token', token).send({ username: 'flowuser', password: 'a long passphrase' }).expect(200);
      assert.equal(login.body.username, 'FlowUser');
      token = await csrfToken(agent);

      // Search finds the picks.
      const search = await agent.get('/api/v1/movies').query({ q: 'toy story' }).expect(200);
      assert.equal(search.body.items[0].id, 1);
      assert.equal(search.body.items[0].title, 'Toy Story');

      // Pick five movies: quick 12 at once, none of them picked, each explained by a pick.
      const firstPicks = [1, 6, 260, 1198, 2571]; // Toy Story, Heat, Star Wars IV, Raiders, The Matrix
      const saved = await agent.put('/api/v1/me/picks').set('X-CSRF-Token', token).send({ movieIds: firstPicks }).expect(200);
      assert.equal(saved.body.state, 'pending');
      const quick = await agent.get('/api/v1/me/recommendations/quick').expect(200);
      assert.equal(quick.body.items.length, 12);
      for (const item of quick.body.items) {
        assert.ok(!firstPicks.includes(item.movie.id), `quick recommendation ${item.movie.id} is a pick`);
        assert.ok(firstPicks.includes(item.because.id), `because ${item.because.id} is not a pick`);
      }

      // The pipeline runs by itself: 48 recommendations, none picked, each explained by a pick.
      const first = await waitUntilReady(agent);
      assert.equal(first.state, 'ready');
      assert.equal(first.items.length, 48);
      const firstIds = first.items.map((item) => item.movie.id);
      assert.equal(new Set(firstIds).size, 48);
      assert.ok(firstIds.every((id) => !firstPicks.includes(id)));
      assert.ok(first.items.every((item) => firstPicks.includes(item.because.id)), 'every one of the 48 says which pick it is there for');
      assert.ok(new Set(first.items.map((item) => item.because.id)).size > 1, 'more than one pick explains the 48');

      // Change picks: the old 48 disappear at once, new ones arrive for the new picks.
      const secondPicks = [1258, 1387, 1997, 2710, 3081]; // The Shining, Jaws, The Exorcist, Blair Witch, Sleepy Hollow
      const changed = await agent.put('/api/v1/me/picks').set('X-CSRF-Token', token).send({ movieIds: secondPicks }).expect(200);
      assert.equal(changed.body.state, 'pending');
      const meanwhile = await agent.get('/api/v1/me/recommendations').expect(200);
      assert.notEqual(meanwhile.body.state, 'ready');
      assert.equal(meanwhile.body.items ?? undefined, undefined, 'recommendations for the old picks are still shown');
      const second = await waitUntilReady(agent);
      assert.equal(second.state, 'ready');
      const secondIds = second.items.map((item) => item.movie.id);
      assert.equal(secondIds.length, 48);
      assert.ok(secondIds.every((id) => !secondPicks.includes(id)));
      assert.ok(second.items.every((item) => secondPicks.includes(item.because.id)));
      const overlap = secondIds.filter((id) => firstIds.includes(id)).length;
      assert.ok(overlap < 24, `horror picks gave ${overlap} of the same 48 as the first picks`);

      // Both the base model and the run's model came from the engine under test.
      const base = JSON.parse(readFileSync(join(dataDir, 'models', 'base', 'manifest.json'), 'utf8'));
      assert.equal(base.engine, options.engine);
      const pointer = JSON.parse(readFileSync(join(dataDir, 'models', 'current.json'), 'utf8'));
      assert.equal(JSON.parse(readFileSync(join(pointer.model, 'manifest.json'), 'utf8')).engine, options.engine);

      // The pages show the same state.
      const page = await agent.get('/recommendations').expect(200);
      assert.match(page.text, /<article/);
    });
  });
}
