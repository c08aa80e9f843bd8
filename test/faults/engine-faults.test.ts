/**
 * Engines that fail in every way we know, on both stores: a worker that crashes, throws or hangs past its timeout,
 * and runs that claim success over a damaged folder (a user missing, a file cut mid-line, a pick recommended, a
 * stranger's results, a model cut short or full of NaN, no _SUCCESS). Each time: the users are retried, then
 * `failed` with the reason shown by the API and the page; no recommendation of the damaged run is imported; the model
 * in service stays as it was; and a user who saves picks again is served once the engine works.
 */
import { after, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { fileModelPointer } from '../../src/pipeline/model-pointer.js';
import { localRunFolders } from '../../src/pipeline/run-files.js';
import { createPipeline } from '../../src/pipeline/tick.js';
import { logger, settings, smallParams, tempDir, testEngine, testWorker } from '../pipeline/support.js';
import { FIVE_PICKS, OTHER_PICKS, makeSecureApp, signUp } from '../security/support.js';
import { STORE_KINDS, stopFirestoreEmulator } from '../support/store-kinds.js';

after(() => stopFirestoreEmulator());

const faultWorker = (name: string) => new URL(`./workers/${name}.js`, import.meta.url);

interface Fault {
  readonly name: string;
  readonly worker: URL;
  /** The engine's own timeout (ms); a minute unless given. */
  readonly timeoutMs?: number;
  /** What the reason shown to the user must say. */
  readonly reason: RegExp;
}

const FAULTS: readonly Fault[] = [
  { name: 'a worker that crashes', worker: testWorker('crash'), reason: /the worker exited with code 7 before finishing/ },
  { name: 'a worker that throws', worker: testWorker('throw'), reason: /disk on fire/ },
  { name: 'a worker that hangs past its timeout', worker: testWorker('hang'), timeoutMs: 400, reason: /^timed out after 0\.4 s$/ },
  { name: 'a run folder cut short (one user missing)', worker: faultWorker('partial'), reason: /^invalid output: .*recommendations\.jsonl: no recommendations for 1 of the 2 users/ },
  { name: 'a recommendations file cut mid-line', worker: faultWorker('truncated'), reason: /^invalid output: .*recommendations\.jsonl:\d+: not valid JSON/ },
  { name: 'recommendations that include a pick', worker: faultWorker('wrong-movies'), reason: /^invalid output: .* is one of the user's picks/ },
  { name: 'recommendations for a user the run did not ask for', worker: faultWorker('stranger'), reason: /^invalid output: .*was not asked for in this run/ },
  { name: 'a model artifact cut short', worker: faultWorker('corrupt-model'), reason: /^invalid output: .*item_factors\.f32/ },
  { name: 'a model artifact holding NaN', worker: faultWorker('nan-model'), reason: /^invalid output: .*expected a finite number/ },
  { name: 'success claimed without _SUCCESS', worker: faultWorker('no-success'), reason: /^the worker finished without writing _SUCCESS$/ },
];

for (const kind of STORE_KINDS) {
  describe(`engine faults (${kind.name})`, { concurrency: true }, () => {
    for (const fault of FAULTS) {
      test(`${fault.name}: retried, then failed with the reason; nothing imported; the model stays`, async () => {
        const opened = await kind.open();
        const t = await makeSecureApp({ store: opened.store });
        const engine = testEngine({ workerUrl: fault.worker, ...(fault.timeoutMs ? { timeoutMs: fault.timeoutMs } : {}) });
        const runsDir = tempDir('fault-runs-');
        const pointer = fileModelPointer(join(tempDir('fault-models-'), 'current.json'));
        const pipeline = createPipeline({
          store: t.store,
          engine,
          folders: localRunFolders(runsDir),
          params: smallParams(),
          settings, // two attempts
          currentModel: t.currentModel,
          modelPointer: pointer,
          logger,
        });
        const settle = (runId: string) => engine.settled({ id: runId, folder: localRunFolders(runsDir).folder(runId) });
        try {
          const users = [await signUp(t.app, 'ann', FIVE_PICKS), await signUp(t.app, 'ben', OTHER_PICKS)];
          const modelBefore = t.currentModel.inService();
          const quickBefore = (await users[0].agent.get('/api/v1/me/recommendations/quick').expect(200)).body;

          const first = await pipeline.tick();
          assert.equal(first.started?.users, 2);
          await settle(first.started.runId);
          const second = await pipeline.tick();
          assert.equal(second.finished[0]?.outcome, 'failed');
          assert.equal(second.finished[0].retriedUsers, 2, 'first failure: retried');
          assert.match(second.finished[0].error ?? '', fault.reason);
          assert.equal(second.started?.users, 2, 'the retry starts at once');
          await settle(second.started.runId);
          const third = await pipeline.tick();
          assert.equal(third.finished[0]?.failedUsers, 2, 'second failure: failed');
          assert.equal(third.started, null, 'no third attempt');

          for (const user of users) {
            const view = (await user.agent.get('/api/v1/me/recommendations').expect(200)).body;
            assert.equal(view.state, 'failed');
            // In user words; the run's own reason (matched above) is for the logs and the operations page.
            assert.equal(view.reason, fault.timeoutMs ? 'computing them took too long' : 'the computation stopped before it finished');
            assert.equal(view.attempts, 2);
            assert.equal(view.items, undefined);
            assert.equal(await t.store.getRecommendations(user.id), null, 'a recommendation of a damaged run was imported');
            const page = await user.agent.get('/recommendations').expect(200);
            assert.match(page.text, /We could not compute your recommendations/);
            assert.ok(page.text.includes(view.reason.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&#34;').replaceAll("'", '&#39;')), 'the page shows the reason');
          }
          // The model in service is untouched, and so is the pointer the next start reads.
          assert.equal(t.currentModel.inService(), modelBefore);
          assert.equal(await pointer.read(), null);
          assert.deepEqual((await users[0].agent.get('/api/v1/me/recommendations/quick').expect(200)).body, quickBefore);
          const runs = await t.store.listRuns({ limit: 10 });
          assert.deepEqual(runs.map((r) => r.outcome), ['failed', 'failed']);
        } finally {
          await engine.close();
          await opened.cleanup();
        }
      });
    }

    test('after a failure, new picks with a working engine make the user ready', async () => {
      const opened = await kind.open();
      const t = await makeSecureApp({ store: opened.store });
      const runsDir = tempDir('fault-runs-');
      const broken = testEngine({ workerUrl: testWorker('crash') });
      const working = testEngine();
      const make = (engine: typeof broken) =>
        createPipeline({ store: t.store, engine, folders: localRunFolders(runsDir), params: smallParams(), settings: { ...settings, maxAttempts: 1 }, currentModel: t.currentModel, logger });
      try {
        const user = await signUp(t.app, 'cat', FIVE_PICKS);
        const failing = make(broken);
        const first = await failing.tick();
        await broken.settled({ id: first.started!.runId, folder: localRunFolders(runsDir).folder(first.started!.runId) });
        await failing.tick();
        assert.equal((await user.agent.get('/api/v1/me/recommendations').expect(200)).body.state, 'failed');

        await user.agent.put('/api/v1/me/picks').set('X-CSRF-Token', user.token).send({ movieIds: OTHER_PICKS }).expect(200);
        const healthy = make(working);
        const run = await healthy.tick();
        await working.settled({ id: run.started!.runId, folder: localRunFolders(runsDir).folder(run.started!.runId) });
        await healthy.tick();
        const view = (await user.agent.get('/api/v1/me/recommendations').expect(200)).body;
        assert.equal(view.state, 'ready');
        assert.equal(view.items.length, 48);
        assert.equal(view.reason, undefined);
      } finally {
        await broken.close();
        await working.close();
        await opened.cleanup();
      }
    });
  });
}
