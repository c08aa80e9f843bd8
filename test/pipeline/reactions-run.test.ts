import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import type { InprocessEngine } from '../../src/pipeline/engines/inprocess.js';
import { localRunFolders } from '../../src/pipeline/run-files.js';
import { readRunInput } from '../../src/pipeline/run-folder.js';
import { SEEN_RATING } from '../../src/pipeline/run-params.js';
import { loadConfig } from '../../src/config.js';
import { testServices } from '../support/services.js';
import { PICKS, harness, logger, pendingUser, testEngine } from './support.js';

async function settle(engine: InprocessEngine, runsDir: string, runId: string): Promise<void> {
  assert.deepEqual(await engine.settled({ id: runId, folder: localRunFolders(runsDir).folder(runId) }), { state: 'succeeded' });
}

test('the next run after "seen it" and "not interested" trains and excludes them; neither is recommended again', async () => {
  const engine = testEngine();
  const h = await harness(engine);
  try {
    const { reactions, full } = await testServices(loadConfig({ NODE_ENV: 'test' }), h.store, logger, { now: h.clock.now });
    const alice = await pendingUser(h.store, 'alice', PICKS.classics, h.clock.t);

    const first = await h.pipeline.tick();
    await settle(engine, h.runsDir, first.started!.runId);
    h.clock.advance(1_000);
    await h.pipeline.tick();
    const shown = (await full.forUser(alice)).items!.map((i) => i.movie.id);
    assert.equal(shown.length, 48);
    const [seenRated, seenPlain, dismissed, later] = shown;

    h.clock.advance(1_000);
    const react = async (movieId: number, body: object) => {
      h.clock.advance(1); // one after the other, as the file lists them
      await reactions.react(alice, String(movieId), body);
    };
    await react(seenRated, { kind: 'seen', rating: 4 });
    await react(seenPlain, { kind: 'seen' });
    await react(dismissed, { kind: 'not_interested' });
    await react(later, { kind: 'watchlist' });
    const meanwhile = await full.forUser(alice);
    assert.equal(meanwhile.state, 'pending', 'the next run is due');
    assert.equal(meanwhile.items!.length, 48);
    assert.deepEqual(meanwhile.items!.filter((i) => [seenRated, seenPlain, dismissed].includes(i.movie.id)), []);

    // The next run's input holds the reactions: seen ones as ratings, the dismissed one excluded, no watchlist.
    const second = await h.pipeline.tick();
    assert.equal(second.started?.users, 1);
    const folder = localRunFolders(h.runsDir).folder(second.started.runId);
    const { users } = await readRunInput(folder);
    assert.deepEqual(users, [
      { user: alice, movies: PICKS.classics, rated: [{ movie: seenRated, rating: 4 }, { movie: seenPlain, rating: SEEN_RATING }], excluded: [dismissed] },
    ]);
    assert.match(await readFile(folder.pathOf('picks.jsonl'), 'utf8'), new RegExp(`"excluded":\\[${dismissed}\\]`));

    await settle(engine, h.runsDir, second.started.runId);
    h.clock.advance(1_000);
    const imported = await h.pipeline.tick();
    assert.equal(imported.finished[0].readyUsers, 1);
    const metrics = JSON.parse(await readFile(folder.pathOf('metrics.json'), 'utf8'));
    assert.equal(metrics.data.appRatings, PICKS.classics.length + 2, 'picks and seen movies are trained, the dismissed one is not');
    const recs = await h.store.getRecommendations(alice);
    const candidateIds = recs!.candidates.map((c) => c.movieId);
    assert.equal(candidateIds.length, 300);
    for (const id of [seenRated, seenPlain, dismissed]) assert.ok(!candidateIds.includes(id), `${id} is never a candidate again`);
    assert.ok(recs!.candidates.every((c) => PICKS.classics.includes(c.because)), 'because stays a pick');
    const after = await full.forUser(alice);
    assert.equal(after.state, 'ready');
    assert.equal(after.items!.length, 48);
  } finally {
    await h.close();
  }
});

test('a reaction while a run computes for the user makes that result stale; the run after uses the reaction', async () => {
  const engine = testEngine();
  const h = await harness(engine);
  try {
    const alice = await pendingUser(h.store, 'alice', PICKS.dramas, h.clock.t);
    const first = await h.pipeline.tick();
    await h.store.saveReaction(alice, { movieId: 1, kind: 'not_interested', rating: null }, h.clock.t); // while the run trains
    await settle(engine, h.runsDir, first.started!.runId);
    h.clock.advance(1_000);
    const second = await h.pipeline.tick();
    assert.equal(second.finished[0].staleResults, 1);
    assert.equal(second.started?.users, 1, 'alice is claimed again at once');
    const { users } = await readRunInput(localRunFolders(h.runsDir).folder(second.started.runId));
    assert.deepEqual(users[0].excluded, [1]);
    await settle(engine, h.runsDir, second.started.runId);
    await h.pipeline.tick();
    assert.equal((await h.store.getUserStatus(alice))?.state, 'ready');
    assert.ok(!(await h.store.getRecommendations(alice))!.candidates.some((c) => c.movieId === 1));
  } finally {
    await h.close();
  }
});
