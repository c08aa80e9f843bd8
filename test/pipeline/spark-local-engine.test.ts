/**
 * The spark-local engine against the real job (spark/als_job.py) on local Spark: the app's own reader validates
 * what Spark wrote, failures carry the job's own error line, and a timeout kills the job's whole process tree.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import { loadConfig } from '../../src/config.js';
import { SPARK_JOB_PATH } from '../../src/pipeline/engines/create-local-engine.js';
import { NOT_RUNNING_HERE } from '../../src/pipeline/engines/run-outcome.js';
import { SparkLocalEngine, type SparkLocalEngineOptions } from '../../src/pipeline/engines/spark-local.js';
import { localRunFolder } from '../../src/pipeline/run-files.js';
import { writeRunInput, type RunUser } from '../../src/pipeline/run-folder.js';
import type { RunParams } from '../../src/pipeline/run-params.js';
import { readRunOutput } from '../../src/pipeline/run-output.js';
import { prepareModel, recommendForPicks } from '../../src/recommend/foldin.js';
import { PICKS, smallParams, tempDir } from './support.js';

const python = loadConfig({}).SPARK_PYTHON;

function sparkEngine(options: Partial<SparkLocalEngineOptions> = {}): SparkLocalEngine {
  assert.ok(existsSync(python), `${python} is missing: \`npm test\` creates spark/.venv with pyspark (scripts/setup-test-env.sh)`);
  return new SparkLocalEngine({ python, jobPath: SPARK_JOB_PATH, master: 'local[2]', timeoutMs: 300_000, ...options });
}

async function runFolder(users: RunUser[], id = 'run', params: Partial<RunParams> = {}) {
  const folder = localRunFolder(join(tempDir('spark-engine-'), id));
  await writeRunInput(folder, { users, params: smallParams(params) });
  return { id, folder };
}

test('a run on ml-latest-small passes the app\'s own checks of every output, and its model serves quick recommendations', async () => {
  const users: RunUser[] = [
    { user: 'app-user-1', movies: PICKS.classics },
    { user: 'app-user-2', movies: PICKS.dramas },
    { user: 'app-user-3', movies: PICKS.fantasy }, // with 1076, which nobody rated: a new item of the model
  ];
  const engine = sparkEngine();
  const run = await runFolder(users);
  await engine.submit(run);
  assert.deepEqual(await engine.status(run), { state: 'running' });
  assert.deepEqual(await engine.settled(run), { state: 'succeeded' });
  assert.deepEqual(await engine.status(run), { state: 'succeeded' });

  // readRunOutput is strict: params.candidates (300) distinct unpicked movies of the model per user, best first,
  // manifest and sizes agree; every candidate gets its because.
  const output = await readRunOutput(run.folder, users);
  if (!output) throw new Error('no output');
  for (const { user, movies } of users) {
    assert.equal(output.candidates.get(user)?.length, 300);
    assert.ok(output.candidates.get(user)?.every((c) => movies.includes(c.because)));
  }
  assert.equal(output.model.engine, 'spark-local');
  assert.equal(output.model.rank, 8);
  assert.equal(output.model.itemIds.length, 9725, 'every rated movie of ml-latest-small has factors, and the picked 1076');
  assert.ok(output.model.itemIds.includes(1076));
  assert.deepEqual(output.model.params, { rank: 8, iterations: 3, regularization: 0.5, alpha: 2, ratingThreshold: null, scaleRegularization: true, seed: 42 });
  const metrics = output.metrics as { seconds: Record<string, number>; data: Record<string, number> };
  assert.ok(Number.isFinite(metrics.seconds.train) && metrics.seconds.train > 0);
  assert.equal(metrics.data.appUsers, 3);
  assert.equal(metrics.data.addedMovies, 1);

  const quick = recommendForPicks(prepareModel(output.model), PICKS.classics, 12);
  assert.equal(quick.length, 12);
  assert.ok(quick.every((r) => !PICKS.classics.includes(r.movieId) && PICKS.classics.includes(r.because)));
  await assert.rejects(engine.submit(run), /already holds a finished run/);
});

test('bad input fails the run with the job\'s own one-line error, in _FAILED, and never _SUCCESS', async () => {
  const engine = sparkEngine();
  // Spark's ALS always scales regularization: the job refuses a run that asks otherwise.
  const run = await runFolder([{ user: 'app-user-1', movies: PICKS.classics }], 'run', { scaleRegularization: false });
  await engine.submit(run);
  const status = await engine.settled(run);
  assert.equal(status.state, 'failed');
  if (status.state !== 'failed') return;
  assert.match(status.reason, /^the Spark job failed \(exit code [1-9]\d*\): .*scaleRegularization is false/);
  assert.ok(!status.reason.includes('Traceback'), status.reason);
  assert.equal((await readFile(run.folder.pathOf('_FAILED'), 'utf8')).trim(), status.reason);
  assert.equal(await run.folder.exists('_SUCCESS'), false);
  assert.deepEqual(await engine.status(run), status);
});

test('a job past its timeout is killed with its JVM, and the run fails as timed out', async () => {
  const marker = randomUUID();
  const engine = sparkEngine({ timeoutMs: 3_000, env: { MOVIEHUNTER_TEST_MARKER: marker } });
  const run = await runFolder([{ user: 'app-user-1', movies: PICKS.classics }]);
  await engine.submit(run);
  assert.deepEqual(await engine.settled(run), { state: 'failed', reason: 'timed out after 3 s' });
  assert.equal(await run.folder.exists('_SUCCESS'), false);
  // SIGTERM went to the whole process group; within the kill grace nothing carrying the marker is left.
  const deadline = Date.now() + 10_000;
  while (processesWith(marker).length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
  assert.deepEqual(processesWith(marker), []);
});

test('a missing Python is refused at submit with what to do; an unknown run is interrupted (no outcome)', async () => {
  const engine = new SparkLocalEngine({ python: '/nonexistent/python', jobPath: SPARK_JOB_PATH, master: 'local[1]', timeoutMs: 1000 });
  const run = await runFolder([{ user: 'u', movies: PICKS.classics }]);
  await assert.rejects(engine.submit(run), /\/nonexistent\/python: no Python with pyspark here \(SPARK_PYTHON\)/);
  assert.deepEqual(await engine.status(run), { state: 'interrupted', reason: NOT_RUNNING_HERE });
});

/** Pids whose environment holds MOVIEHUNTER_TEST_MARKER=marker (the job's python and the JVM it starts). */
function processesWith(marker: string): number[] {
  const found: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      if (readFileSync(`/proc/${entry}/environ`, 'latin1').includes(`MOVIEHUNTER_TEST_MARKER=${marker}`)) found.push(Number(entry));
    } catch {
      // Gone meanwhile, or not ours to read.
    }
  }
  return found;
}
