/**
 * The dataproc engine with the real @google-cloud/dataproc clients against a local gRPC stand-in built from the
 * library's own protos (test/support/fake-dataproc.ts): what each mode sends, how status() follows a batch, a job
 * and a cluster, that nothing waits and nothing is submitted twice, that a fresh engine (a fresh Cloud Function
 * process) carries on a run another one submitted, and how API failures read.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import { BatchControllerClient } from '@google-cloud/dataproc';
import { DataprocEngine, dataprocIdFor, type DataprocEngineOptions, type DataprocMode } from '../../src/pipeline/engines/dataproc.js';
import type { EngineStatus, RunHandle } from '../../src/pipeline/engines/engine.js';
import { runInprocessJob } from '../../src/pipeline/engines/inprocess-job.js';
import { localRunFolder } from '../../src/pipeline/run-files.js';
import { FAILED_FILE, SUCCESS_FILE } from '../../src/pipeline/run-folder.js';
import { FakeDataproc, type FakeDataprocOptions, type FakeWork } from '../support/fake-dataproc.js';
import { PICKS, harness, logger, pendingUser, tempDir } from './support.js';

const PROJECT = 'moviehunter-test';
const REGION = 'europe-west1';
const MAIN = 'gs://mh-test-bucket/spark/als_job.py';
const PY_FILES = ['gs://mh-test-bucket/spark/moviehunter_als.zip'];

/** The stand-in's "job": what als_job.py leaves behind when it succeeds (here only `_SUCCESS`). */
async function writeSuccess(work: FakeWork): Promise<void> {
  await localRunFolder(work.args[0]).write(SUCCESS_FILE, '');
}

type Make = (mode: DataprocMode, overrides?: Partial<DataprocEngineOptions>) => DataprocEngine;

/** A stand-in and engines pointed at it; everything is closed and stopped afterwards, whatever happens. */
async function scenario(options: FakeDataprocOptions, body: (fake: FakeDataproc, make: Make) => Promise<void>): Promise<void> {
  const fake = await FakeDataproc.start(options);
  const engines: DataprocEngine[] = [];
  const make: Make = (mode, overrides = {}) => {
    const engine = new DataprocEngine({
      projectId: PROJECT,
      region: REGION,
      mode,
      mainPythonFileUri: MAIN,
      pythonFileUris: PY_FILES,
      clientOptions: fake.clientOptions(),
      allowLocalRunFolders: true,
      callTimeoutMs: 5_000,
      retryDelaysMs: [20, 50],
      logger,
      ...overrides,
    });
    engines.push(engine);
    return engine;
  };
  try {
    await body(fake, make);
  } finally {
    await Promise.all(engines.map((e) => e.close()));
    await fake.stop();
  }
}

let runs = 0;
/** A run with its own (local) folder; ids look like the tick's. */
function newRun(id = `20250102T0304${String(runs).padStart(2, '0')}678Z-${(0xa1b2c3 + runs++).toString(16)}`): RunHandle {
  return { id, folder: localRunFolder(join(tempDir('dataproc-'), id)) };
}

/** Polls status() until the run is no longer running (at most `max` times); every state seen, in order. */
async function poll(engine: DataprocEngine, run: RunHandle, max = 20): Promise<{ states: string[]; last: EngineStatus }> {
  const states: string[] = [];
  for (let i = 0; i < max; i++) {
    const status = await engine.status(run);
    states.push(status.state);
    if (status.state !== 'running') return { states, last: status };
  }
  return { states, last: { state: 'running' } };
}

function reasonOf(status: EngineStatus): string {
  assert.equal(status.state, 'failed', JSON.stringify(status));
  return status.state === 'failed' ? status.reason : '';
}

// ---------------------------------------------------------------- serverless

test('serverless: submit creates the run\'s batch (job, args, runtime, TTL, identity, labels) and returns before it runs; status follows it to succeeded', async () => {
  await scenario({ run: writeSuccess }, async (fake, make) => {
    const engine = make('serverless', {
      runtimeVersion: '2.3',
      batchTtlSeconds: 3600,
      serviceAccount: 'mh-spark@moviehunter-test.iam.gserviceaccount.com',
      subnetworkUri: 'projects/moviehunter-test/regions/europe-west1/subnetworks/default',
      sparkProperties: { 'spark.executor.instances': '2' },
      partitions: 8,
    });
    const run = newRun('20250102T030405678Z-1a2b3c');
    await engine.submit(run);

    const creates = fake.requestsOf('CreateBatch');
    assert.equal(creates.length, 1);
    const [req] = creates;
    assert.equal(req.parent, `projects/${PROJECT}/locations/${REGION}`);
    assert.match(req.batchId, /^mh-20250102t030405678z-1a2b3c-[0-9a-f]{8}$/);
    assert.equal(req.batchId, engine.dataprocIdOf(run));
    assert.equal(req.batch.pysparkBatch.mainPythonFileUri, MAIN);
    assert.deepEqual(req.batch.pysparkBatch.pythonFileUris, PY_FILES);
    assert.deepEqual(req.batch.pysparkBatch.args, [run.folder.location, '--engine-name', 'dataproc', '--partitions', '8']);
    assert.equal(req.batch.runtimeConfig.version, '2.3');
    assert.deepEqual(req.batch.runtimeConfig.properties, { 'spark.executor.instances': '2' });
    const exec = req.batch.environmentConfig.executionConfig;
    assert.equal(exec.ttl.seconds, '3600');
    assert.equal(exec.serviceAccount, 'mh-spark@moviehunter-test.iam.gserviceaccount.com');
    assert.equal(exec.subnetworkUri, 'projects/moviehunter-test/regions/europe-west1/subnetworks/default');
    assert.equal(exec.authenticationConfig.userWorkloadAuthenticationType, 'SERVICE_ACCOUNT');
    assert.deepEqual(req.batch.labels, { app: 'moviehunter', run: '20250102t030405678z-1a2b3c' });

    // Accepted, not finished: the long-running operation is not done, and the engine never waits on it.
    const [operation] = fake.operationNames();
    assert.equal(fake.operationDone(operation), false);
    assert.equal(fake.batchState(req.batchId)?.state, 'PENDING');

    const { states, last } = await poll(engine, run);
    assert.deepEqual(states, ['running', 'running', 'succeeded']);
    assert.deepEqual(last, { state: 'succeeded' });
    assert.equal(fake.batchState(req.batchId)?.state, 'SUCCEEDED');
    assert.equal(fake.operationDone(operation), true);
    assert.equal(fake.requestsOf('GetOperation').length, 0, 'status reads the batch, never the operation');
    assert.deepEqual(await engine.status(run), { state: 'succeeded' });
    assert.ok(fake.calls.every((c) => !c.metadataKeys.includes('authorization')), 'no credentials are sent to the stand-in');
  });
});

test('serverless: defaults (runtime 2.3, 4 h TTL, no service account) and clients given by the caller, which never look up Google credentials', async () => {
  await scenario({ run: writeSuccess }, async (fake, make) => {
    const batches = new BatchControllerClient(fake.clientOptions());
    let lookups = 0;
    const auth = batches.auth as unknown as { getClient: () => Promise<unknown> };
    const getClient = auth.getClient.bind(auth);
    auth.getClient = () => {
      lookups++;
      return getClient();
    };
    try {
      const engine = make('serverless', { clients: { batches }, clientOptions: undefined });
      const run = newRun();
      await engine.submit(run);
      const [req] = fake.requestsOf('CreateBatch');
      assert.equal(req.batch.runtimeConfig.version, '2.3');
      assert.equal(req.batch.environmentConfig.executionConfig.ttl.seconds, String(4 * 3600));
      assert.equal(req.batch.environmentConfig.executionConfig.serviceAccount, '');
      assert.equal(req.batch.environmentConfig.executionConfig.authenticationConfig, null);
      assert.deepEqual(req.batch.pysparkBatch.args, [run.folder.location, '--engine-name', 'dataproc']);
      assert.deepEqual((await poll(engine, run)).last, { state: 'succeeded' });
      assert.equal(lookups, 0, 'the client asked google-auth-library for credentials');
    } finally {
      await batches.close();
    }
  });
});

test('serverless: a batch that succeeds without writing _SUCCESS fails the run, and the folder records why', async () => {
  await scenario({}, async (fake, make) => {
    const engine = make('serverless');
    const run = newRun();
    await engine.submit(run);
    const { last } = await poll(engine, run);
    assert.match(reasonOf(last), /^the Dataproc batch mh-[a-z0-9-]+ succeeded but wrote no _SUCCESS in /);
    assert.equal(fake.batchState(engine.dataprocIdOf(run))?.state, 'SUCCEEDED');
    assert.equal((await run.folder.read(FAILED_FILE))?.toString().trim(), reasonOf(last));
    assert.deepEqual(await engine.status(run), last, 'asked again, the same answer');
  });
});

test('serverless: a failing batch fails the run with the batch\'s own message on one line', async () => {
  await scenario({ outcome: () => ({ kind: 'fail', message: 'Job failed with message [als_job: params.json: rank must be positive].\nAdditional details in the driver output.' }) }, async (_fake, make) => {
    const engine = make('serverless');
    const run = newRun();
    await engine.submit(run);
    const { states, last } = await poll(engine, run);
    assert.deepEqual(states, ['running', 'running', 'failed']);
    const reason = reasonOf(last);
    assert.match(reason, /^the Dataproc batch mh-\S+ failed: Job failed with message \[als_job: params\.json: rank must be positive\]\. Additional details in the driver output\. \(driver output: gs:\/\/fake-staging\/\S+\)$/);
    assert.ok(!reason.includes('\n'));
    assert.equal(await run.folder.exists(SUCCESS_FILE), false);
  });
});

test('serverless: a batch that never finishes stays running and each status() is quick; cancel() cancels its operation, unknown runs included', async () => {
  await scenario({ outcome: () => ({ kind: 'hang' }) }, async (fake, make) => {
    const engine = make('serverless');
    const run = newRun();
    await engine.submit(run);
    for (let i = 0; i < 10; i++) {
      const started = performance.now();
      assert.deepEqual(await engine.status(run), { state: 'running' });
      assert.ok(performance.now() - started < 1_000, 'status() must not wait for the batch');
    }
    assert.equal(fake.batchState(engine.dataprocIdOf(run))?.state, 'RUNNING');

    await engine.cancel(run, 'timed out');
    const [cancel] = fake.requestsOf('CancelOperation');
    assert.match(cancel.name, /^projects\/fake\/regions\/europe-west1\/operations\//);
    const { last } = await poll(engine, run);
    assert.match(reasonOf(last), /^the Dataproc batch mh-\S+ was cancelled/);

    await engine.cancel(run, 'again'); // finished: nothing to cancel, no error
    await engine.cancel(newRun(), 'never submitted');
    assert.equal(fake.requestsOf('CancelOperation').length, 1);
  });
});

test('serverless: a run submitted twice, and again by a second engine (a replayed scheduler call), has one batch; a fresh engine polls it to the end', async () => {
  await scenario({ run: writeSuccess }, async (fake, make) => {
    const first = make('serverless');
    const run = newRun();
    await first.submit(run);
    await first.submit(run);
    const second = make('serverless'); // another process: its own clients, nothing in memory
    await second.submit({ id: run.id, folder: localRunFolder(run.folder.location) });
    const creates = fake.requestsOf('CreateBatch');
    assert.equal(creates.length, 3);
    assert.equal(new Set(creates.map((r) => r.batchId)).size, 1, 'the same batch id every time');
    assert.equal(fake.operationNames().length, 1, 'one batch');

    const fresh = make('serverless');
    const { states, last } = await poll(fresh, { id: run.id, folder: localRunFolder(run.folder.location) });
    assert.deepEqual(states, ['running', 'running', 'succeeded']);
    assert.deepEqual(last, { state: 'succeeded' });
    assert.deepEqual(await first.status(run), { state: 'succeeded' });
  });
});

test('serverless: a run with no batch fails as such, unless its folder already holds the outcome; a finished or local folder is refused', async () => {
  await scenario({}, async (_fake, make) => {
    const engine = make('serverless');
    const lost = newRun();
    assert.match(reasonOf(await engine.status(lost)), /^no Dataproc batch for this run \(projects\/moviehunter-test\/locations\/europe-west1\/batches\/mh-\S+\)$/);

    const done = newRun();
    await done.folder.write(SUCCESS_FILE, '');
    assert.deepEqual(await engine.status(done), { state: 'succeeded' });
    await assert.rejects(engine.submit(done), /already holds a finished run/);
    await assert.rejects(engine.submit(lost), /already holds a finished run/, 'its failure was recorded');

    const strict = make('serverless', { allowLocalRunFolders: false });
    await assert.rejects(strict.submit(newRun()), /the dataproc engine needs run folders Dataproc can reach \(gs:\/\/…\), got \//);
  });
});

// ---------------------------------------------------------------- cluster

const CLUSTER_OPTIONS: Partial<DataprocEngineOptions> = {
  clusterName: 'mh-cluster',
  imageVersion: '2.3-debian12',
  masterMachineType: 'n2-standard-4',
  workerMachineType: 'n2-highmem-4',
  workerCount: 3,
  idleDeleteTtlSeconds: 1800,
  serviceAccount: 'mh-spark@moviehunter-test.iam.gserviceaccount.com',
};

test('cluster: the first run creates the cluster with its idle-delete TTL, submits its job once the cluster runs, and the next run reuses the cluster', async () => {
  await scenario({ run: writeSuccess }, async (fake, make) => {
    const engine = make('cluster', CLUSTER_OPTIONS);
    const run = newRun();
    await engine.submit(run);

    const [create] = fake.requestsOf('CreateCluster');
    assert.equal(create.projectId, PROJECT);
    assert.equal(create.region, REGION);
    const { cluster } = create;
    assert.equal(cluster.clusterName, 'mh-cluster');
    assert.equal(cluster.config.lifecycleConfig.idleDeleteTtl.seconds, '1800');
    assert.equal(cluster.config.softwareConfig.imageVersion, '2.3-debian12');
    assert.equal(cluster.config.masterConfig.numInstances, 1);
    assert.equal(cluster.config.masterConfig.machineTypeUri, 'n2-standard-4');
    assert.equal(cluster.config.workerConfig.numInstances, 3);
    assert.equal(cluster.config.workerConfig.machineTypeUri, 'n2-highmem-4');
    assert.equal(cluster.config.gceClusterConfig.serviceAccount, 'mh-spark@moviehunter-test.iam.gserviceaccount.com');
    assert.deepEqual(cluster.labels, { app: 'moviehunter' });
    assert.equal(fake.requestsOf('SubmitJob').length, 0, 'no job before the cluster runs');
    assert.equal(fake.clusterState('mh-cluster')?.state, 'CREATING');

    assert.deepEqual(await engine.status(run), { state: 'running' }); // still CREATING
    assert.equal(fake.requestsOf('SubmitJob').length, 0);
    assert.deepEqual(await engine.status(run), { state: 'running' }); // RUNNING now: the job goes in
    const [submit] = fake.requestsOf('SubmitJob');
    assert.equal(submit.projectId, PROJECT);
    assert.equal(submit.region, REGION);
    assert.equal(submit.job.reference.jobId, engine.dataprocIdOf(run));
    assert.equal(submit.job.placement.clusterName, 'mh-cluster');
    assert.equal(submit.job.pysparkJob.mainPythonFileUri, MAIN);
    assert.deepEqual(submit.job.pysparkJob.pythonFileUris, PY_FILES);
    assert.deepEqual(submit.job.pysparkJob.args, [run.folder.location, '--engine-name', 'dataproc']);
    assert.deepEqual(submit.job.labels, { app: 'moviehunter', run: run.id.toLowerCase() });

    const { states, last } = await poll(engine, run);
    assert.deepEqual(states, ['running', 'running', 'running', 'succeeded']); // PENDING, SETUP_DONE, RUNNING, DONE
    assert.deepEqual(last, { state: 'succeeded' });

    // The next run: the cluster is running, the job goes in at submit.
    const next = newRun();
    await engine.submit(next);
    assert.equal(fake.requestsOf('CreateCluster').length, 1, 'the cluster is reused');
    assert.equal(fake.requestsOf('SubmitJob').length, 2);
    assert.deepEqual((await poll(engine, next)).last, { state: 'succeeded' });
  });
});

test('cluster: a failing job fails the run with its details; a job done without _SUCCESS fails it too', async () => {
  await scenario({ outcome: (work) => (work.args[0].endsWith('-bad') ? { kind: 'fail', message: 'Job failed: als_job: picks.jsonl:1: movie 3 is picked twice' } : { kind: 'succeed' }) }, async (_fake, make) => {
    const engine = make('cluster', CLUSTER_OPTIONS);
    const bad = newRun('20250102T030405678Z-bad');
    await engine.submit(bad);
    const failed = reasonOf((await poll(engine, bad)).last);
    assert.match(failed, /^the Dataproc job mh-\S+ failed: Job failed: als_job: picks\.jsonl:1: movie 3 is picked twice \(driver output: gs:\/\/fake-staging\/\S+\)$/);

    const empty = newRun();
    await engine.submit(empty); // the cluster is running by now
    assert.match(reasonOf((await poll(engine, empty)).last), /^the Dataproc job mh-\S+ finished but wrote no _SUCCESS in /);
  });
});

test('cluster: a cluster whose creation ends in ERROR fails the waiting run with its detail and is deleted; the next run gets a new cluster', async () => {
  let created = 0;
  await scenario({ run: writeSuccess, clusterOutcome: () => (created++ === 0 ? { kind: 'error', detail: 'Insufficient CPUS quota in region europe-west1' } : { kind: 'ok' }) }, async (fake, make) => {
    const engine = make('cluster', CLUSTER_OPTIONS);
    const first = newRun();
    await engine.submit(first);
    const uuid = fake.clusterState('mh-cluster')?.uuid;
    const { last } = await poll(engine, first);
    assert.equal(reasonOf(last), 'the Dataproc cluster mh-cluster went into ERROR before the job could start: Insufficient CPUS quota in region europe-west1');
    const [del] = fake.requestsOf('DeleteCluster');
    assert.equal(del.clusterUuid, uuid, 'deleted by uuid: never a newer cluster of the same name');

    const second = newRun();
    await engine.submit(second); // the broken cluster is still going: nothing to do yet
    const { last: done } = await poll(engine, second);
    assert.deepEqual(done, { state: 'succeeded' });
    assert.equal(fake.requestsOf('CreateCluster').length, 2);
    assert.notEqual(fake.clusterState('mh-cluster')?.uuid, uuid);
  });
});

test('cluster: a running cluster gone to ERROR is replaced by the next submit; a stopped one is started', async () => {
  await scenario({ run: writeSuccess }, async (fake, make) => {
    const engine = make('cluster', CLUSTER_OPTIONS);
    const first = newRun();
    await engine.submit(first);
    assert.deepEqual((await poll(engine, first)).last, { state: 'succeeded' });

    const broken = fake.clusterState('mh-cluster')!.uuid;
    fake.setClusterState('mh-cluster', 'ERROR', 'master node unreachable');
    const second = newRun();
    await engine.submit(second);
    assert.equal(fake.requestsOf('DeleteCluster').at(-1).clusterUuid, broken);
    assert.deepEqual((await poll(engine, second)).last, { state: 'succeeded' });
    assert.equal(fake.requestsOf('CreateCluster').length, 2, 'recreated after ERROR');

    fake.setClusterState('mh-cluster', 'STOPPED');
    const third = newRun();
    await engine.submit(third);
    assert.equal(fake.requestsOf('StartCluster').length, 1);
    assert.deepEqual((await poll(engine, third)).last, { state: 'succeeded' });
    assert.equal(fake.requestsOf('CreateCluster').length, 2);
  });
});

test('cluster: a run submitted twice and by a second engine has one cluster creation and one job; a fresh engine polls it to the end', async () => {
  await scenario({ run: writeSuccess }, async (fake, make) => {
    const first = make('cluster', CLUSTER_OPTIONS);
    const run = newRun();
    await first.submit(run);
    await first.submit(run);
    assert.equal(fake.clusterState('mh-cluster')?.state, 'CREATING');
    await make('cluster', CLUSTER_OPTIONS).submit(run); // the cluster is up by now: this one submits the job
    assert.equal(fake.requestsOf('CreateCluster').length, 1);
    assert.equal(fake.requestsOf('SubmitJob').length, 1);
    await first.submit(run); // and again: ALREADY_EXISTS, fine
    assert.equal(fake.requestsOf('SubmitJob').length, 2);

    // Two processes polling the same run while the cluster comes up.
    const fresh = make('cluster', CLUSTER_OPTIONS);
    await first.status(run);
    await fresh.status(run);
    await first.status(run);
    await fresh.status(run);
    const { last } = await poll(fresh, run);
    assert.deepEqual(last, { state: 'succeeded' });
    const jobIds = fake.requestsOf('SubmitJob').map((r) => r.job.reference.jobId);
    assert.ok(jobIds.length >= 1);
    assert.equal(new Set(jobIds).size, 1, 'one job id');
    assert.equal(fake.jobState(jobIds[0])?.state, 'DONE');
    assert.equal(fake.clusterState('mh-cluster') !== null, true);
    assert.equal(fake.operationNames().length, 1, 'one cluster creation accepted');
  });
});

test('cluster: cancel() cancels the run\'s job; a run without a job cancels quietly', async () => {
  await scenario({ outcome: () => ({ kind: 'hang' }) }, async (fake, make) => {
    const engine = make('cluster', { ...CLUSTER_OPTIONS, workerCount: 0 });
    const run = newRun();
    await engine.submit(run);
    assert.equal(fake.requestsOf('CreateCluster')[0].cluster.config.workerConfig.numInstances, 0);
    assert.deepEqual(fake.requestsOf('CreateCluster')[0].cluster.config.softwareConfig.properties, { 'dataproc:dataproc.allow.zero.workers': 'true' });
    const { states } = await poll(engine, run, 8);
    assert.ok(states.every((s) => s === 'running'));
    assert.equal(fake.jobState(engine.dataprocIdOf(run))?.state, 'RUNNING');

    await engine.cancel(run, 'timed out');
    assert.equal(fake.requestsOf('CancelJob').length, 1);
    assert.match(reasonOf((await poll(engine, run)).last), /^the Dataproc job mh-\S+ was cancelled: Job cancelled by user request$/);
    await engine.cancel(newRun(), 'never submitted');
  });
});

// ---------------------------------------------------------------- errors

test('the stand-in stopped (UNAVAILABLE): submit rejects with a clear one-line error, status() rejects readably, cancel() is quiet', async () => {
  await scenario({}, async (fake, make) => {
    const serverless = make('serverless');
    const cluster = make('cluster', CLUSTER_OPTIONS);
    const run = newRun();
    await serverless.submit(run);
    await fake.stop();
    const started = performance.now();
    const endpoint = `127\\.0\\.0\\.1:${fake.port}`;
    await assert.rejects(serverless.submit(newRun()), (err: Error) => {
      assert.match(err.message, new RegExp(`^Dataproc createBatch: UNAVAILABLE: the Dataproc API at ${endpoint} could not be reached \\(.+\\)$`));
      return true;
    });
    await assert.rejects(serverless.status(run), (err: Error) => {
      assert.match(err.message, /^Dataproc getBatch: UNAVAILABLE: /);
      assert.ok(!err.message.includes('\n'));
      return true;
    });
    await assert.rejects(cluster.submit(newRun()), /^DataprocApiError: Dataproc getCluster: UNAVAILABLE: /);
    await assert.rejects(cluster.status(run), /^DataprocApiError: Dataproc getJob: UNAVAILABLE: /);
    await serverless.cancel(run, 'timed out');
    await cluster.cancel(run, 'timed out');
    assert.ok(performance.now() - started < 10_000, 'bounded: no long retries');
  });
});

test('API errors: PERMISSION_DENIED reads clearly and fails a submit; a passing UNAVAILABLE is retried; a job Dataproc refuses fails the waiting run', async () => {
  await scenario({ run: writeSuccess }, async (fake, make) => {
    const engine = make('serverless');
    fake.failNext('CreateBatch', grpc.status.PERMISSION_DENIED, "Permission 'dataproc.batches.create' denied on resource 'projects/moviehunter-test/locations/europe-west1'");
    await assert.rejects(
      engine.submit(newRun()),
      /^DataprocApiError: Dataproc createBatch: PERMISSION_DENIED: Permission 'dataproc\.batches\.create' denied on resource '[^']+' \(the app's service account needs the Dataproc Editor role/,
    );

    const run = newRun();
    await engine.submit(run);
    fake.failNext('GetBatch', grpc.status.UNAVAILABLE, 'connection reset', 2);
    assert.deepEqual(await engine.status(run), { state: 'running' }, 'retried past two UNAVAILABLE answers');

    const cluster = make('cluster', CLUSTER_OPTIONS);
    const waiting = newRun();
    await cluster.submit(waiting);
    await cluster.status(waiting); // CREATING
    fake.failNext('SubmitJob', grpc.status.INVALID_ARGUMENT, 'Main python file gs://mh-test-bucket/spark/als_job.py not found');
    assert.match(reasonOf(await cluster.status(waiting)), /^could not start the job on cluster mh-cluster: Dataproc submitJob: INVALID_ARGUMENT: Main python file \S+ not found$/);
  });
});

test('an API that does not answer: each call gives up at its deadline, so status() and submit() stay bounded', async () => {
  await scenario({}, async (fake, make) => {
    const engine = make('cluster', { ...CLUSTER_OPTIONS, callTimeoutMs: 150 });
    const run = newRun();
    fake.delayNext('GetCluster', 1_000);
    const started = performance.now();
    await assert.rejects(engine.submit(run), /^DataprocApiError: Dataproc getCluster: DEADLINE_EXCEEDED: no answer from 127\.0\.0\.1:\d+ within 0\.15 s$/);
    fake.delayNext('GetJob', 1_000);
    await assert.rejects(engine.status(run), /Dataproc getJob: DEADLINE_EXCEEDED/);
    assert.ok(performance.now() - started < 900, 'no call waited for the slow answers');
  });
});

// ---------------------------------------------------------------- ids and options

test('run ids map to valid, stable, distinct Dataproc ids', () => {
  const ids = ['20250102T030405678Z-1a2b3c', '20250102t030405678z-1a2b3c', 'a', 'A', '_', 'run.1', 'run_1', 'x'.repeat(128), `${'x'.repeat(127)}y`];
  const mapped = ids.map((id) => dataprocIdFor(id));
  for (const id of mapped) {
    assert.match(id, /^[a-z][a-z0-9-]{3,62}$/, id);
    assert.ok(!id.endsWith('-') && !id.includes('--'), id);
  }
  assert.equal(new Set(mapped).size, ids.length, 'distinct run ids stay distinct');
  assert.equal(dataprocIdFor(ids[0]), dataprocIdFor(ids[0]));
  assert.match(dataprocIdFor('20250102T030405678Z-1a2b3c', 'mh-staging'), /^mh-staging-20250102t030405678z-1a2b3c-[0-9a-f]{8}$/);
  assert.throws(() => dataprocIdFor('x', 'Bad'), /prefix/);
});

test('options Dataproc would refuse are refused up front, naming the option', () => {
  const base: DataprocEngineOptions = { projectId: PROJECT, region: REGION, mode: 'serverless', mainPythonFileUri: MAIN, clientOptions: { apiEndpoint: '127.0.0.1', port: 1, sslCreds: grpc.credentials.createInsecure() } };
  const bad: [Partial<DataprocEngineOptions>, RegExp][] = [
    [{ mode: 'spark' as DataprocMode }, /mode must be serverless or cluster/],
    [{ projectId: 'Bad Project' }, /projectId/],
    [{ region: 'europe' }, /region/],
    [{ mainPythonFileUri: 'spark/als_job.py' }, /mainPythonFileUri must be a gs:\/\/ URI/],
    [{ pythonFileUris: ['moviehunter_als.zip'] }, /pythonFileUris/],
    [{ batchTtlSeconds: 60 }, /batchTtlSeconds must be whole seconds from 600/],
    [{ idleDeleteTtlSeconds: 15 * 24 * 3600 }, /idleDeleteTtlSeconds/],
    [{ workerCount: 1 }, /workerCount must be 0 \(single node\) or at least 2/],
    [{ clusterName: 'MH' }, /clusterName/],
    [{ labels: { Team: 'x' } }, /label key "Team"/],
    [{ idPrefix: '9x' }, /idPrefix/],
    [{ stagingBucket: 'gs://bucket' }, /stagingBucket/],
  ];
  for (const [overrides, message] of bad) assert.throws(() => new DataprocEngine({ ...base, ...overrides }), message, JSON.stringify(overrides));
});

// ---------------------------------------------------------------- with the tick

test('the tick with the dataproc engine: pending users → a batch → ready with 48 recommendations, the stand-in running the real training', async () => {
  // The stand-in "runs" the batch with the inprocess job on the run folder: real outputs for the tick to import.
  await scenario({ run: (work) => runInprocessJob(work.args[0], { threads: 1 }) }, async (fake, make) => {
    const engine = make('serverless');
    const h = await harness(engine);
    try {
      const alice = await pendingUser(h.store, 'alice', PICKS.classics, h.clock.t);
      const first = await h.pipeline.tick();
      assert.equal(first.started?.users, 1);
      const runId = first.started.runId;
      assert.equal(fake.requestsOf('CreateBatch').length, 1);
      assert.equal(fake.requestsOf('CreateBatch')[0].batch.pysparkBatch.args[0], join(h.runsDir, runId));

      let report = first;
      for (let i = 0; i < 5 && report.finished.length === 0; i++) {
        h.clock.advance(5_000);
        report = await h.pipeline.tick();
        assert.deepEqual(report.problems, []);
      }
      assert.equal(report.finished[0]?.outcome, 'succeeded', JSON.stringify(report));
      const status = await h.store.getUserStatus(alice);
      assert.equal(status?.state, 'ready');
      assert.equal((await h.store.getRecommendations(alice))?.candidates.length, 300);
      assert.equal(h.models.length, 1);
    } finally {
      await h.close();
    }
  });
});
