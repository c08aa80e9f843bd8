import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { NOT_RUNNING_HERE } from '../../src/pipeline/engines/run-outcome.js';
import { localRunFolder } from '../../src/pipeline/run-files.js';
import { writeRunInput, type RunUser } from '../../src/pipeline/run-folder.js';
import { readRunOutput, type ExplainedCandidate } from '../../src/pipeline/run-output.js';
import { PICKS, smallParams, tempDir, testEngine, testWorker } from './support.js';

const users: RunUser[] = [
  { user: 'app-user-1', movies: PICKS.classics },
  { user: 'app-user-2', movies: PICKS.fantasy },
];

async function runFolder(id = 'run') {
  const folder = localRunFolder(join(tempDir('engine-'), id));
  await writeRunInput(folder, { users, params: smallParams() });
  return { id, folder };
}

test('a run trains in a worker on ml-latest-small and writes every output, _SUCCESS last', async () => {
  const engine = testEngine();
  const run = await runFolder();
  await engine.submit(run);
  assert.deepEqual(await engine.status(run), { state: 'running' });
  assert.deepEqual(await engine.settled(run), { state: 'succeeded' });
  assert.deepEqual(await engine.status(run), { state: 'succeeded' });

  const output = await readRunOutput(run.folder, users);
  if (!output) throw new Error('no output');
  for (const { user, movies } of users) {
    // The contract: params.candidates movies per user, none picked, best first, each explained by one of the picks.
    const recs: ExplainedCandidate[] = output.candidates.get(user) ?? [];
    assert.equal(recs.length, 300);
    assert.equal(recs.filter((r) => movies.includes(r.movie)).length, 0);
    assert.ok(recs.every((r, i) => i === 0 || r.score <= recs[i - 1].score));
    assert.ok(recs.every((r) => movies.includes(r.because)), 'because is always a pick');
  }
  assert.equal(output.model.engine, 'inprocess');
  assert.equal(output.model.rank, 8);
  assert.ok(output.model.itemIds.includes(1076), 'a picked movie nobody rated is in the model');
  const metrics = output.metrics as { seconds: Record<string, number>; iterations: { loss: number }[]; data: Record<string, number> };
  assert.deepEqual(Object.keys(metrics.seconds), ['load', 'train', 'recommend', 'write']);
  assert.equal(metrics.iterations.length, 3);
  assert.ok(metrics.iterations.every((it) => Number.isFinite(it.loss)));
  assert.equal(metrics.data.datasetUsers, 610);
  assert.equal(metrics.data.appUsers, 2);
  assert.equal(metrics.data.appRatings, 10);
  assert.equal(metrics.data.addedMovies, 1);
  await assert.rejects(engine.submit(run), /already holds a finished run/);
});

test('a crashed worker fails the run with its exit code, recorded in _FAILED', async () => {
  const engine = testEngine({ workerUrl: testWorker('crash') });
  const run = await runFolder();
  await engine.submit(run);
  const status = await engine.settled(run);
  assert.deepEqual(status, { state: 'failed', reason: 'the worker exited with code 7 before finishing' });
  assert.equal((await readFile(run.folder.pathOf('_FAILED'), 'utf8')).trim(), 'the worker exited with code 7 before finishing');
  assert.deepEqual(await engine.status(run), status);
});

test("a job that throws fails the run with the error's message", async () => {
  const engine = testEngine({ workerUrl: testWorker('throw') });
  const run = await runFolder();
  await engine.submit(run);
  assert.deepEqual(await engine.settled(run), { state: 'failed', reason: 'disk on fire' });
});

test('a real job with bad input fails with the reason naming the file', async () => {
  const engine = testEngine();
  const folder = localRunFolder(join(tempDir('engine-'), 'bad'));
  await writeRunInput(folder, { users, params: smallParams({ ratingsPath: '/nonexistent/ratings.csv' }) });
  await engine.submit({ id: 'bad', folder });
  const status = await engine.settled({ id: 'bad', folder });
  assert.equal(status.state, 'failed');
  assert.match((status as { reason: string }).reason, /\/nonexistent\/ratings\.csv/);
  assert.equal(await folder.exists('_SUCCESS'), false);
});

test('the timeout terminates a hanging worker and fails the run', async () => {
  const settled: string[] = [];
  const engine = testEngine({ workerUrl: testWorker('hang'), timeoutMs: 50, onSettled: (id) => settled.push(id) });
  const run = await runFolder('slow');
  await engine.submit(run);
  assert.deepEqual(await engine.settled(run), { state: 'failed', reason: 'timed out after 0.05 s' });
  assert.deepEqual(settled, ['slow']);
});

test('a run this process did not start is interrupted (a restart), and close() interrupts what it did start', async () => {
  const before = testEngine({ workerUrl: testWorker('hang') });
  const run = await runFolder();
  await before.submit(run);
  const after = testEngine(); // the process after a restart: it knows nothing of the worker
  assert.deepEqual(await after.status(run), { state: 'interrupted', reason: NOT_RUNNING_HERE });
  assert.deepEqual(await before.status(run), { state: 'running' });
  await before.close();
  assert.deepEqual(await before.status(run), { state: 'interrupted', reason: NOT_RUNNING_HERE });
  assert.equal(await run.folder.exists('_FAILED'), false, 'no failure recorded: the next start retries the run\'s users');
});

test('cancel stops a running worker with the reason', async () => {
  const engine = testEngine({ workerUrl: testWorker('hang') });
  const run = await runFolder();
  await engine.submit(run);
  await engine.cancel(run, 'timed out');
  assert.deepEqual(await engine.status(run), { state: 'failed', reason: 'cancelled: timed out' });
  await engine.cancel(run, 'again'); // unknown now: nothing to do
});
