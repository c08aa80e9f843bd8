/**
 * Picks of movies nobody rated, end to end: saved over the API with 12 quick recommendations at once, written into the
 * next run's picks.jsonl (read here from the run folder), learnt by the inprocess engine as new items.
 */
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { localRunFolders } from '../../src/pipeline/run-files.js';
import { PICKS_FILE } from '../../src/pipeline/run-folder.js';
import { createPipeline } from '../../src/pipeline/tick.js';
import { loadMovieLens } from '../support/small-model.js';
import { bob, makeRecommenderApp, putPicks, type RecommenderApp } from '../web/recommender-support.js';
import { alice, signedUp } from '../web/support.js';
import { logger, settings, smallParams, tempDir, testEngine } from './support.js';

let t: RecommenderApp;
before(async () => {
  t = await makeRecommenderApp();
});
after(() => t.close());

test('picks nobody rated: 200 with 12 recommendations, then in the next run input and learnt by the run', async () => {
  const { catalog } = await loadMovieLens();
  const model = t.currentModel.get()!;
  const unrated = catalog.movies.filter((m) => !model.itemIndex.has(m.id) && m.genres.length > 0).slice(0, 6).map((m) => m.id);
  assert.equal(unrated.length, 6, 'ml-latest-small has movies nobody rated');

  // Alice picked only movies nobody rated; Bob four well-rated ones and one nobody rated.
  const picksOf = { alice: unrated.slice(0, 5), bob: [260, 1196, 1210, 2571, unrated[5]] };
  const users = { alice: await signedUp(t.app, alice), bob: await signedUp(t.app, bob) };
  for (const name of ['alice', 'bob'] as const) {
    const { agent, token } = users[name];
    await putPicks(agent, token, picksOf[name]).expect(200);
    const quick = (await agent.get('/api/v1/me/recommendations/quick').expect(200)).body;
    assert.equal(quick.items.length, 12, name);
    assert.equal(quick.basis, name === 'alice' ? 'genres' : 'picks');
  }

  const runsDir = tempDir('unrated-runs-');
  const engine = testEngine();
  const pipeline = createPipeline({
    store: t.store,
    engine,
    folders: localRunFolders(runsDir),
    params: smallParams(),
    settings,
    currentModel: t.currentModel,
    logger,
  });
  try {
    const first = await pipeline.tick();
    assert.equal(first.started?.users, 2);
    const runId = first.started.runId;
    const lines = readFileSync(join(runsDir, runId, PICKS_FILE), 'utf8').trim().split('\n').map((line) => JSON.parse(line) as { user: string; movies: number[] });
    const byUser = new Map(lines.map((line) => [line.user, line.movies]));
    assert.deepEqual(byUser.get(users.alice.id), picksOf.alice, "the run input holds Alice's picks, none of them rated");
    assert.deepEqual(byUser.get(users.bob.id), picksOf.bob);

    assert.deepEqual(await engine.settled({ id: runId, folder: localRunFolders(runsDir).folder(runId) }), { state: 'succeeded' });
    const second = await pipeline.tick();
    assert.equal(second.finished[0]?.readyUsers, 2, JSON.stringify(second.finished));
    const learnt = t.currentModel.get()!;
    assert.notEqual(learnt, model, 'the run model is in service');
    for (const id of unrated) assert.ok(learnt.itemIndex.has(id), `movie ${id} is an item of the new model`);
    // Alice's quick 12 now come from her own picks: the model has learnt them.
    const quick = (await users.alice.agent.get('/api/v1/me/recommendations/quick').expect(200)).body;
    assert.equal(quick.basis, 'picks');
    assert.deepEqual(quick.unratedPicks, []);
    assert.equal(quick.items.length, 12);
    assert.ok(quick.items.every((i: { because: { id: number } }) => picksOf.alice.includes(i.because.id)));
    for (const name of ['alice', 'bob'] as const) {
      const full = (await users[name].agent.get('/api/v1/me/recommendations').expect(200)).body;
      assert.equal(full.state, 'ready', name);
      assert.equal(full.items.length, 48, name);
      assert.ok(full.items.every((i: { movie: { id: number } }) => !picksOf[name].includes(i.movie.id)), `${name}: no pick recommended`);
    }
  } finally {
    await engine.close?.();
  }
});
