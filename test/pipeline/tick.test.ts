import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { Engine } from '../../src/pipeline/engines/engine.js';
import type { InprocessEngine } from '../../src/pipeline/engines/inprocess.js';
import { NOT_RUNNING_HERE } from '../../src/pipeline/engines/run-outcome.js';
import { fileModelPointer } from '../../src/pipeline/model-pointer.js';
import { localRunFolders } from '../../src/pipeline/run-files.js';
import { createPipeline } from '../../src/pipeline/tick.js';
import type { Store } from '../../src/store/index.js';
import {
  FailingEngine,
  HangingEngine,
  PICKS,
  harness,
  logger,
  pendingUser,
  settings,
  smallParams,
  tempDir,
  testEngine,
  testWorker,
} from './support.js';

/** Waits for the inprocess engine to finish a run (an event, not a sleep). */
async function settled(engine: InprocessEngine, runsDir: string, runId: string) {
  return engine.settled({ id: runId, folder: localRunFolders(runsDir).folder(runId) });
}

async function assertReady(store: Store, userId: string, picks: readonly number[]) {
  const status = await store.getUserStatus(userId);
  assert.equal(status?.state, 'ready');
  const recs = await store.getRecommendations(userId);
  assert.ok(recs);
  assert.equal(recs.generation, status.generation);
  // Every candidate the engine wrote (params.candidates), distinct, none picked, each explained by a pick.
  assert.equal(recs.candidates.length, 300);
  assert.equal(new Set(recs.candidates.map((i) => i.movieId)).size, 300);
  assert.deepEqual(recs.candidates.filter((i) => picks.includes(i.movieId)), []);
  assert.deepEqual(recs.candidates.filter((i) => !picks.includes(i.because)), []);
}

test('pending users → running → ready with 48 recommendations each, and the run model becomes current', async () => {
  const engine = testEngine();
  const pointerPath = join(tempDir(), 'current.json');
  const h = await harness(engine, { modelPointer: fileModelPointer(pointerPath) });
  try {
    const alice = await pendingUser(h.store, 'alice', PICKS.classics, h.clock.t);
    const bob = await pendingUser(h.store, 'bob', PICKS.fantasy, h.clock.t);

    const first = await h.pipeline.tick();
    assert.equal(first.skipped, null);
    assert.equal(first.started?.users, 2);
    assert.equal((await h.store.getUserStatus(alice))?.state, 'running');
    assert.equal((await h.store.getUserStatus(alice))?.runId, first.started.runId);

    assert.deepEqual(await settled(engine, h.runsDir, first.started.runId), { state: 'succeeded' });
    h.clock.advance(5_000);
    const second = await h.pipeline.tick();
    assert.deepEqual(second.finished, [
      { runId: first.started.runId, outcome: 'succeeded', users: 2, readyUsers: 2, retriedUsers: 0, failedUsers: 0, staleResults: 0, error: null },
    ]);
    assert.equal(second.started, null);
    await assertReady(h.store, alice, PICKS.classics);
    await assertReady(h.store, bob, PICKS.fantasy);

    assert.equal(h.models.length, 1);
    assert.equal(h.models[0].engine, 'inprocess');
    assert.equal(await fileModelPointer(pointerPath).read(), join(h.runsDir, first.started.runId, 'model'));
    const [run] = await h.store.listRuns({ limit: 5 });
    assert.equal(run.outcome, 'succeeded');
    assert.deepEqual(Object.keys((run.metrics as { seconds: object }).seconds), ['load', 'train', 'recommend', 'write']);

    const third = await h.pipeline.tick(); // nothing left: no empty run
    assert.deepEqual(third, { skipped: null, finished: [], running: [], started: null, problems: [] });
  } finally {
    await h.close();
  }
});

test('picks changed during a run: the stale result is not imported and a later run finishes the user', async () => {
  const engine = testEngine();
  const h = await harness(engine);
  try {
    const alice = await pendingUser(h.store, 'alice', PICKS.classics, h.clock.t);
    const bob = await pendingUser(h.store, 'bob', PICKS.dramas, h.clock.t);
    const first = await h.pipeline.tick();
    await h.store.savePicks(alice, PICKS.fantasy, h.clock.t); // while the run trains on her old picks
    await settled(engine, h.runsDir, first.started!.runId);

    const second = await h.pipeline.tick();
    assert.equal(second.finished[0].readyUsers, 1);
    assert.equal(second.finished[0].staleResults, 1);
    await assertReady(h.store, bob, PICKS.dramas);
    assert.equal(await h.store.getRecommendations(alice), null);
    assert.equal(second.started?.users, 1, 'alice is claimed again at once');

    await settled(engine, h.runsDir, second.started.runId);
    await h.pipeline.tick();
    await assertReady(h.store, alice, PICKS.fantasy);
    assert.equal((await h.store.getUserStatus(alice))?.generation, 2);
  } finally {
    await h.close();
  }
});

test('an engine that fails: the users are retried, then `failed` with the reason', async () => {
  const engine = new FailingEngine('the cluster is on fire');
  const h = await harness(engine);
  try {
    const alice = await pendingUser(h.store, 'alice', PICKS.classics, h.clock.t);
    await h.pipeline.tick();
    const second = await h.pipeline.tick();
    assert.equal(second.finished[0].retriedUsers, 1);
    assert.equal(second.finished[0].error, 'the cluster is on fire');
    assert.ok(second.started, 'retried at once');
    const third = await h.pipeline.tick();
    assert.equal(third.finished[0].failedUsers, 1);
    assert.equal(third.started, null);
    const status = await h.store.getUserStatus(alice);
    assert.equal(status?.state, 'failed');
    assert.equal(status?.error, 'the cluster is on fire');
    assert.equal(status?.attempts, settings.maxAttempts);
    assert.equal(engine.submitted.length, 2);
  } finally {
    await h.close();
  }
});

test('a hanging engine times out by the clock: cancelled, failed, its users retried', async () => {
  const engine = new HangingEngine();
  const h = await harness(engine);
  try {
    const alice = await pendingUser(h.store, 'alice', PICKS.classics, h.clock.t);
    const first = await h.pipeline.tick();
    h.clock.advance(settings.runTimeoutMs - 1);
    assert.deepEqual((await h.pipeline.tick()).running, [first.started!.runId]);
    h.clock.advance(1);
    const late = await h.pipeline.tick();
    const reason = 'timed out: no result 60 s after the run started';
    assert.equal(late.finished[0].error, reason);
    assert.deepEqual(engine.cancelled, [{ id: first.started!.runId, reason }]);
    assert.equal(late.started?.users, 1);
    assert.equal((await h.store.getUserStatus(alice))?.attempts, 1);
  } finally {
    await h.close();
  }
});

test('a worker that writes corrupt output: the run fails naming file and line, nothing is imported', async () => {
  const engine = testEngine({ workerUrl: testWorker('corrupt') });
  const h = await harness(engine);
  try {
    const alice = await pendingUser(h.store, 'alice', PICKS.classics, h.clock.t);
    const first = await h.pipeline.tick();
    assert.deepEqual(await settled(engine, h.runsDir, first.started!.runId), { state: 'succeeded' });
    const second = await h.pipeline.tick();
    assert.match(second.finished[0].error!, /^invalid output: .*recommendations\.jsonl:1: not valid JSON/);
    assert.equal(await h.store.getRecommendations(alice), null);
    assert.equal((await h.store.getUserStatus(alice))?.state, 'running', 'claimed again by the retry run');
    assert.equal(h.models.length, 0);
  } finally {
    await h.close();
  }
});

test('a crashed worker spends an attempt; a restart then interrupts the retry run without spending one', async () => {
  const crashing = testEngine({ workerUrl: testWorker('crash') });
  const h = await harness(crashing);
  const restarted = testEngine();
  try {
    const alice = await pendingUser(h.store, 'alice', PICKS.dramas, h.clock.t);
    const first = await h.pipeline.tick();
    await settled(crashing, h.runsDir, first.started!.runId);
    const second = await h.pipeline.tick();
    assert.equal(second.finished[0].error, 'the worker exited with code 7 before finishing');
    assert.ok(second.started);

    // The process dies with the retry run in flight; a new one (new engine, same store and folders) takes over.
    const after = createPipeline({
      store: h.store,
      engine: restarted,
      folders: localRunFolders(h.runsDir),
      params: smallParams(),
      settings: { ...settings, maxAttempts: 3 },
      logger,
      now: h.clock.now,
    });
    const third = await after.tick();
    assert.deepEqual([third.finished[0].outcome, third.finished[0].error, third.finished[0].retriedUsers], ['interrupted', NOT_RUNNING_HERE, 1]);
    const requeued = await h.store.getUserStatus(alice);
    assert.deepEqual([requeued?.state, requeued?.attempts, requeued?.error], ['running', 1, 'the worker exited with code 7 before finishing']);
    assert.ok(third.started);
    await settled(restarted, h.runsDir, third.started.runId);
    await after.tick();
    await assertReady(h.store, alice, PICKS.dramas);
  } finally {
    await restarted.close();
    await h.close();
  }
});

test('shut down five times with a run in flight (maxAttempts 2): every run interrupted, no attempt spent, then ready', async () => {
  const engine = testEngine();
  const h = await harness(engine);
  const restart = (engine: InprocessEngine) =>
    createPipeline({ store: h.store, engine, folders: localRunFolders(h.runsDir), params: smallParams(), settings, logger, now: h.clock.now });
  try {
    const alice = await pendingUser(h.store, 'alice', PICKS.classics, h.clock.t);
    const bob = await pendingUser(h.store, 'bob', PICKS.fantasy, h.clock.t);
    for (let i = 0; i < 5; i++) {
      const hanging = testEngine({ workerUrl: testWorker('hang') });
      const report = await restart(hanging).tick();
      assert.equal(report.started?.users, 2);
      if (i > 0) assert.deepEqual([report.finished[0].outcome, report.finished[0].retriedUsers], ['interrupted', 2]);
      await hanging.close(); // the graceful stop: the training is stopped without recording a failure
      h.clock.advance(1_000);
      assert.equal(await localRunFolders(h.runsDir).folder(report.started.runId).exists('_FAILED'), false);
    }
    const last = await h.pipeline.tick();
    assert.deepEqual([last.finished[0].outcome, last.started?.users], ['interrupted', 2]);
    assert.deepEqual(await settled(engine, h.runsDir, last.started!.runId), { state: 'succeeded' });
    await h.pipeline.tick();
    await assertReady(h.store, alice, PICKS.classics);
    await assertReady(h.store, bob, PICKS.fantasy);
    assert.equal((await h.store.getUserStatus(alice))?.attempts, 0);
    assert.deepEqual((await h.store.listRuns({ limit: 10 })).map((r) => r.outcome), ['succeeded', ...Array(5).fill('interrupted')]);
  } finally {
    await h.close();
  }
});

test('two ticks at once start one run, in one process or two; a run takes at most RUN_MAX_USERS', async () => {
  const engine = new HangingEngine();
  const h = await harness(engine, { settings: { ...settings, maxUsersPerRun: 2 } });
  try {
    for (const name of ['ann', 'ben', 'cat']) await pendingUser(h.store, name, PICKS.classics, h.clock.t);
    const other = createPipeline({ store: h.store, engine, folders: localRunFolders(h.runsDir), params: smallParams(), settings, logger, now: h.clock.now });
    const reports = await Promise.all([h.pipeline.tick(), h.pipeline.tick(), other.tick()]);
    assert.equal(reports.filter((r) => r.started).length, 1);
    assert.equal(reports.filter((r) => r.skipped).length, 2);
    assert.equal(reports.find((r) => r.started)!.started!.users, 2);
    assert.equal((await h.store.listRuns({ limit: 10 })).length, 1);
    assert.equal(engine.submitted.length, 1);
    const next = await h.pipeline.tick(); // one active run at a time: the third user waits
    assert.equal(next.started, null);
    assert.equal((await h.store.countUsersByState()).pending, 1);
  } finally {
    await h.close();
  }
});

test('a run that cannot be submitted hands its users back; an engine that does not answer is asked again later', async () => {
  const broken: Engine = {
    name: 'broken',
    submit: async () => { throw new Error('no route to cluster'); },
    status: async () => { throw new Error('503 from the API'); },
  };
  const h = await harness(broken);
  try {
    const alice = await pendingUser(h.store, 'alice', PICKS.classics, h.clock.t);
    const report = await h.pipeline.tick();
    assert.equal(report.started, null);
    assert.match(report.problems[0], /could not start the run: no route to cluster/);
    const status = await h.store.getUserStatus(alice);
    assert.equal(status?.state, 'pending');
    assert.equal(status?.attempts, 1);

    // Status errors leave the run running (its lease still bounds it).
    const runId = 'manual-run';
    await h.store.createRun({ id: runId, engine: 'broken', now: h.clock.t, leaseUntil: h.clock.t + 60_000 });
    await h.store.claimPendingUsers(runId, 10, h.clock.t);
    const polled = await h.pipeline.tick();
    assert.deepEqual(polled.running, [runId]);
    assert.match(polled.problems[0], /engine status unavailable: 503 from the API/);
  } finally {
    await h.close();
  }
});

test('trainFirstModel: with no model and nobody pending, a run without users trains one; then the tick rests', async () => {
  const engine = testEngine();
  const pointerPath = join(tempDir(), 'current.json');
  const pointer = fileModelPointer(pointerPath);
  const h = await harness(engine, { modelPointer: pointer, settings: { ...settings, trainFirstModel: true } });
  try {
    const first = await h.pipeline.tick();
    assert.equal(first.started?.users, 0);
    assert.deepEqual(await settled(engine, h.runsDir, first.started.runId), { state: 'succeeded' });
    const second = await h.pipeline.tick();
    assert.equal(second.finished[0]?.outcome, 'succeeded');
    assert.equal(second.started, null, 'a model exists now: no second empty run');
    assert.equal(h.models.length, 1);
    assert.match((await pointer.read()) ?? '', new RegExp(`${first.started.runId}/model$`));
    assert.equal((await h.pipeline.tick()).started, null);
  } finally {
    await h.close();
  }
});

test('without trainFirstModel (the embedded default, which trains at start-up) an idle tick starts nothing', async () => {
  const h = await harness(testEngine(), { modelPointer: fileModelPointer(join(tempDir(), 'current.json')) });
  try {
    assert.equal((await h.pipeline.tick()).started, null);
  } finally {
    await h.close();
  }
});

test('a run that finished after its lease ended (the scheduler came late) is imported, not timed out', async () => {
  const engine = testEngine();
  const h = await harness(engine);
  try {
    const alice = await pendingUser(h.store, 'alice', PICKS.classics, h.clock.t);
    const first = await h.pipeline.tick();
    assert.ok(first.started);
    assert.deepEqual(await settled(engine, h.runsDir, first.started.runId), { state: 'succeeded' });
    h.clock.advance(settings.runTimeoutMs + 1);
    const late = await h.pipeline.tick();
    assert.equal(late.finished[0]?.outcome, 'succeeded');
    await assertReady(h.store, alice, PICKS.classics);
  } finally {
    await h.close();
  }
});
