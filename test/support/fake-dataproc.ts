/**
 * A stand-in for Google Cloud Dataproc: a real gRPC server on 127.0.0.1, built from the client library's own proto
 * files, so the real @google-cloud/dataproc clients talk to it unchanged (point them at it with clientOptions()).
 *
 * It serves BatchController (CreateBatch, GetBatch, DeleteBatch), ClusterController (CreateCluster, GetCluster,
 * DeleteCluster, StartCluster), JobController (SubmitJob, GetJob, CancelJob) and google.longrunning.Operations
 * (GetOperation, CancelOperation), with everything in memory:
 * - time is counted in polls: a batch, job or cluster answers `stepsPerState` Get calls in each passing state
 *   (batch PENDING → RUNNING → SUCCEEDED/FAILED; job PENDING → SETUP_DONE → RUNNING → DONE/ERROR; cluster CREATING →
 *   RUNNING/ERROR, DELETING → gone), and its long-running operation is done only once the resource is;
 * - what work does is scripted: `outcome` (succeed, fail with a message, hang) per batch or job, `clusterOutcome`
 *   per created cluster, failNext() for an error on the next call of a method, delayNext() for a slow answer,
 *   setClusterState() at any time;
 * - a succeeding batch or job "runs" by awaiting `run` (e.g. writing outputs and `_SUCCESS` in args[0]);
 * - every request is recorded (`calls`), with the names (never the values) of its metadata.
 * It checks what Dataproc checks and the engine relies on: id formats, ALREADY_EXISTS, TTL bounds, jobs only on a
 * RUNNING cluster, deleting by uuid.
 */
import { randomUUID } from 'node:crypto';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as grpc from '@grpc/grpc-js';
import * as protoLoader from '@grpc/proto-loader';
import { protos } from '@google-cloud/dataproc';

const require = createRequire(import.meta.url);
const DATAPROC_PROTOS = join(dirname(require.resolve('@google-cloud/dataproc/package.json')), 'build', 'protos');
// google/longrunning/operations.proto and the google/api annotations ship with google-gax (build/src/index.js).
const GAX_PROTOS = join(dirname(createRequire(require.resolve('@google-cloud/dataproc')).resolve('google-gax')), '..', 'protos');

/** A batch or a job, as the `outcome` and `run` callbacks see it. */
export interface FakeWork {
  readonly kind: 'batch' | 'job';
  readonly id: string;
  /** The PySpark arguments: args[0] is the run folder. */
  readonly args: readonly string[];
  readonly labels: Readonly<Record<string, string>>;
}

export type FakeWorkOutcome =
  | { readonly kind: 'succeed' }
  | { readonly kind: 'fail'; readonly message: string }
  /** Stays RUNNING until cancelled. */
  | { readonly kind: 'hang' };

export type FakeClusterOutcome = { readonly kind: 'ok' } | { readonly kind: 'error'; readonly detail: string };

export interface FakeDataprocOptions {
  /** Get calls answered in each passing state before the next (default 1). */
  stepsPerState?: number;
  /** What a new batch or job will do (default: succeed). */
  outcome?: (work: FakeWork) => FakeWorkOutcome;
  /** Run when a succeeding batch or job finishes, before it reports success; a throw fails it with the message. */
  run?: (work: FakeWork) => void | Promise<void>;
  /** How a new cluster's creation ends (default ok → RUNNING). */
  clusterOutcome?: (clusterName: string) => FakeClusterOutcome;
}

export interface FakeCall {
  readonly service: 'BatchController' | 'ClusterController' | 'JobController' | 'Operations';
  readonly method: string;
  /** The request as the server decoded it (camelCase fields, enums as names, int64 as strings). */
  readonly request: Json;
  readonly metadataKeys: readonly string[];
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- messages come from proto-loader's untyped definitions; tests read them like JSON
type Json = any;

interface Stepped {
  state: string;
  /** Get answers given in the current state. */
  seen: number;
  finishing?: Promise<void>;
}

interface FakeBatch extends Stepped {
  readonly id: string;
  readonly name: string;
  readonly uuid: string;
  readonly spec: Json;
  readonly operation: string;
  readonly outcome: FakeWorkOutcome;
  readonly createdAt: number;
  stateMessage: string;
}

interface FakeJob extends Stepped {
  readonly id: string;
  readonly uuid: string;
  readonly spec: Json;
  readonly clusterUuid: string;
  readonly outcome: FakeWorkOutcome;
  details: string;
}

interface FakeCluster extends Stepped {
  readonly name: string;
  readonly uuid: string;
  readonly spec: Json;
  readonly outcome: FakeClusterOutcome;
  detail: string;
  deleted: boolean;
}

interface FakeOperation {
  readonly name: string;
  /** The operation now: done, response or error, metadata. */
  readonly view: () => Json;
  readonly cancel?: () => void;
}

class RpcError extends Error {
  constructor(
    readonly code: grpc.status,
    message: string,
  ) {
    super(message);
  }
}

const TERMINAL_BATCH = new Set(['SUCCEEDED', 'FAILED', 'CANCELLED']);
const TERMINAL_JOB = new Set(['DONE', 'ERROR', 'CANCELLED']);
const MIN_TTL = 600;
const MAX_TTL = 14 * 24 * 3600;

let packageCache: Json = null;
function loadServices(): Json {
  packageCache ??= grpc.loadPackageDefinition(
    protoLoader.loadSync(
      ['google/cloud/dataproc/v1/batches.proto', 'google/cloud/dataproc/v1/clusters.proto', 'google/cloud/dataproc/v1/jobs.proto', 'google/longrunning/operations.proto'],
      { includeDirs: [DATAPROC_PROTOS, GAX_PROTOS], keepCase: false, longs: String, enums: String, defaults: true, oneofs: true },
    ),
  );
  return packageCache;
}

/** google.protobuf.Any of a message, encoded with the client library's own generated types. */
function packAny(typeName: string, message: object): { typeUrl: string; value: Buffer } {
  const type = typeName.split('.').reduce<Json>((node, part) => node[part], protos);
  return { typeUrl: `type.googleapis.com/${typeName}`, value: Buffer.from(type.encode(type.fromObject(message)).finish()) };
}

function timestamp(ms: number): { seconds: string; nanos: number } {
  return { seconds: String(Math.floor(ms / 1000)), nanos: (ms % 1000) * 1_000_000 };
}

function seconds(duration: Json): number | null {
  return duration ? Number(duration.seconds ?? 0) : null;
}

export class FakeDataproc {
  readonly calls: FakeCall[] = [];
  outcome: (work: FakeWork) => FakeWorkOutcome;
  run: ((work: FakeWork) => void | Promise<void>) | undefined;
  clusterOutcome: (clusterName: string) => FakeClusterOutcome;
  readonly stepsPerState: number;

  private readonly batches = new Map<string, FakeBatch>();
  private readonly jobs = new Map<string, FakeJob>();
  private readonly clusters = new Map<string, FakeCluster>();
  private readonly operations = new Map<string, FakeOperation>();
  private readonly failures = new Map<string, { code: grpc.status; message: string; times: number }>();
  private readonly delays = new Map<string, number>();
  private readonly timers = new Set<NodeJS.Timeout>();
  private stopped = false;

  private constructor(
    private readonly server: grpc.Server,
    readonly port: number,
    options: FakeDataprocOptions,
  ) {
    this.stepsPerState = options.stepsPerState ?? 1;
    this.outcome = options.outcome ?? (() => ({ kind: 'succeed' }));
    this.run = options.run;
    this.clusterOutcome = options.clusterOutcome ?? (() => ({ kind: 'ok' }));
  }

  /** A stand-in listening on a free port of 127.0.0.1. */
  static async start(options: FakeDataprocOptions = {}): Promise<FakeDataproc> {
    const server = new grpc.Server();
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync('127.0.0.1:0', grpc.ServerCredentials.createInsecure(), (err, p) => (err ? reject(err) : resolve(p))),
    );
    const fake = new FakeDataproc(server, port, options);
    fake.addServices();
    return fake;
  }

  /** Client options for @google-cloud/dataproc clients: this server, plain-text, and no Google credentials looked up. */
  clientOptions(): { apiEndpoint: string; port: number; sslCreds: grpc.ChannelCredentials; universeDomain: string } {
    // With sslCreds the client uses them as the channel's credentials and never asks for Google ones; the universe
    // domain given here also spares it the credentials look-up it would otherwise make to check the domain.
    return { apiEndpoint: '127.0.0.1', port: this.port, sslCreds: grpc.credentials.createInsecure(), universeDomain: 'googleapis.com' };
  }

  /** The requests of one method, oldest first. */
  requestsOf(method: string): Json[] {
    return this.calls.filter((c) => c.method === method).map((c) => c.request);
  }

  /** The next `times` calls of `method` fail with this status. */
  failNext(method: string, code: grpc.status, message: string, times = 1): void {
    this.failures.set(method, { code, message, times });
  }

  /** The next call of `method` is answered only after `ms` (an API that does not answer in time). */
  delayNext(method: string, ms: number): void {
    this.delays.set(method, ms);
  }

  batchState(batchId: string): { state: string; stateMessage: string } | null {
    const b = this.batches.get(batchId);
    return b ? { state: b.state, stateMessage: b.stateMessage } : null;
  }

  jobState(jobId: string): { state: string; details: string } | null {
    const j = this.jobs.get(jobId);
    return j ? { state: j.state, details: j.details } : null;
  }

  clusterState(name: string): { state: string; detail: string; uuid: string } | null {
    const c = this.clusters.get(name);
    return c && !c.deleted ? { state: c.state, detail: c.detail, uuid: c.uuid } : null;
  }

  /** Whether the long-running operation of a batch, or of a cluster's creation, reports done. */
  operationDone(name: string): boolean {
    const op = this.operations.get(name);
    if (!op) throw new Error(`no operation ${name}`);
    return Boolean(op.view().done);
  }

  /** Operation names, oldest first. */
  operationNames(): string[] {
    return [...this.operations.keys()];
  }

  /** Puts a cluster in a state at once (e.g. ERROR, as a broken cluster does). */
  setClusterState(name: string, state: string, detail = ''): void {
    const c = this.clusters.get(name);
    if (!c || c.deleted) throw new Error(`no cluster ${name}`);
    c.state = state;
    c.detail = detail;
    c.seen = 0;
  }

  /** Stops at once; calls in flight fail. Idempotent. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.server.forceShutdown();
  }

  // ---- services ----

  private addServices(): void {
    const pkg = loadServices();
    const v1 = pkg.google.cloud.dataproc.v1;
    this.server.addService(v1.BatchController.service, {
      CreateBatch: this.unary('BatchController', 'CreateBatch', (r) => this.createBatch(r)),
      GetBatch: this.unary('BatchController', 'GetBatch', (r) => this.getBatch(r)),
      DeleteBatch: this.unary('BatchController', 'DeleteBatch', (r) => this.deleteBatch(r)),
    });
    this.server.addService(v1.ClusterController.service, {
      CreateCluster: this.unary('ClusterController', 'CreateCluster', (r) => this.createCluster(r)),
      GetCluster: this.unary('ClusterController', 'GetCluster', (r) => this.getCluster(r)),
      DeleteCluster: this.unary('ClusterController', 'DeleteCluster', (r) => this.deleteCluster(r)),
      StartCluster: this.unary('ClusterController', 'StartCluster', (r) => this.startCluster(r)),
    });
    this.server.addService(v1.JobController.service, {
      SubmitJob: this.unary('JobController', 'SubmitJob', (r) => this.submitJob(r)),
      GetJob: this.unary('JobController', 'GetJob', (r) => this.getJob(r)),
      CancelJob: this.unary('JobController', 'CancelJob', (r) => this.cancelJob(r)),
    });
    this.server.addService(pkg.google.longrunning.Operations.service, {
      GetOperation: this.unary('Operations', 'GetOperation', (r) => this.operation(r.name).view()),
      CancelOperation: this.unary('Operations', 'CancelOperation', (r) => {
        const op = this.operation(r.name);
        if (!op.cancel) throw new RpcError(grpc.status.FAILED_PRECONDITION, `operation ${r.name} cannot be cancelled`);
        op.cancel();
        return {};
      }),
    });
  }

  private unary(service: FakeCall['service'], method: string, handler: (request: Json) => unknown): grpc.handleUnaryCall<Json, Json> {
    return (call, callback) => {
      this.calls.push({ service, method, request: call.request, metadataKeys: Object.keys(call.metadata.getMap()) });
      const failure = this.failures.get(method);
      if (failure) {
        if (--failure.times <= 0) this.failures.delete(method);
        callback({ name: 'Error', message: failure.message, code: failure.code, details: failure.message });
        return;
      }
      const delay = this.delays.get(method);
      this.delays.delete(method);
      const wait =
        delay === undefined
          ? Promise.resolve()
          : new Promise<void>((resolve) => {
              const timer = setTimeout(() => {
                this.timers.delete(timer);
                resolve();
              }, delay);
              this.timers.add(timer);
            });
      wait
        .then(() => handler(call.request))
        .then(
          (response) => callback(null, response),
          (err: unknown) => {
            const code = err instanceof RpcError ? err.code : grpc.status.INTERNAL;
            const message = err instanceof Error ? err.message : String(err);
            callback({ name: 'Error', message, code, details: message });
          },
        );
    };
  }

  private operation(name: string): FakeOperation {
    const op = this.operations.get(name);
    if (!op) throw new RpcError(grpc.status.NOT_FOUND, `Operation ${name} not found`);
    return op;
  }

  private addOperation(region: string, view: (name: string) => Json, cancel?: () => void): string {
    const name = `projects/fake/regions/${region}/operations/${randomUUID()}`;
    this.operations.set(name, { name, view: () => ({ name, ...view(name) }), cancel });
    return name;
  }

  // ---- batches ----

  private createBatch(r: Json): Json {
    const parent = /^projects\/([^/]+)\/locations\/([^/]+)$/.exec(r.parent);
    if (!parent) throw new RpcError(grpc.status.INVALID_ARGUMENT, `invalid parent ${JSON.stringify(r.parent)}`);
    if (!/^[a-z][a-z0-9-]{3,62}$/.test(r.batchId)) throw new RpcError(grpc.status.INVALID_ARGUMENT, `Batch ID ${JSON.stringify(r.batchId)} must be 4-63 characters of [a-z0-9-] starting with a letter`);
    const spec = r.batch ?? {};
    if (!spec.pysparkBatch?.mainPythonFileUri) throw new RpcError(grpc.status.INVALID_ARGUMENT, 'pyspark_batch.main_python_file_uri is required');
    const ttl = seconds(spec.environmentConfig?.executionConfig?.ttl);
    if (ttl !== null && (ttl < MIN_TTL || ttl > MAX_TTL)) throw new RpcError(grpc.status.INVALID_ARGUMENT, `ttl must be between 10 minutes and 14 days, got ${ttl} s`);
    const name = `${r.parent}/batches/${r.batchId}`;
    if (this.batches.has(r.batchId)) throw new RpcError(grpc.status.ALREADY_EXISTS, `Batch ${name} already exists`);
    const work = this.work('batch', r.batchId, spec.pysparkBatch.args, spec.labels);
    const uuid = randomUUID();
    const operation = this.addOperation(
      parent[2],
      () => {
        const b = this.batches.get(r.batchId)!;
        const metadata = packAny('google.cloud.dataproc.v1.BatchOperationMetadata', { batch: name, batchUuid: uuid, operationType: 'BATCH', labels: spec.labels ?? {} });
        if (!TERMINAL_BATCH.has(b.state)) return { done: false, metadata };
        if (b.state === 'SUCCEEDED') return { done: true, metadata, response: packAny('google.cloud.dataproc.v1.Batch', this.batchView(b)) };
        return { done: true, metadata, error: { code: b.state === 'CANCELLED' ? grpc.status.CANCELLED : grpc.status.UNKNOWN, message: b.stateMessage, details: [] } };
      },
      () => {
        const b = this.batches.get(r.batchId)!;
        if (TERMINAL_BATCH.has(b.state)) throw new RpcError(grpc.status.FAILED_PRECONDITION, `Batch ${name} has already finished`);
        b.state = 'CANCELLING';
        b.seen = 0;
      },
    );
    const batch: FakeBatch = { id: r.batchId, name, uuid, spec, operation, outcome: this.outcome(work), createdAt: Date.now(), state: 'PENDING', seen: 0, stateMessage: '' };
    this.batches.set(r.batchId, batch);
    return this.operation(operation).view();
  }

  private async getBatch(r: Json): Promise<Json> {
    const b = this.batchNamed(r.name);
    await this.step(b, async () => {
      switch (b.state) {
        case 'PENDING':
          b.state = 'RUNNING';
          return;
        case 'CANCELLING':
          b.state = 'CANCELLED';
          b.stateMessage = 'Batch was cancelled by a user request';
          return;
        case 'RUNNING': {
          const result = await this.finish('batch', b.id, b.spec.pysparkBatch.args, b.spec.labels, b.outcome);
          if (result === null) return;
          b.state = result.ok ? 'SUCCEEDED' : 'FAILED';
          b.stateMessage = result.ok ? '' : result.message;
        }
      }
    }, TERMINAL_BATCH);
    return this.batchView(b);
  }

  private deleteBatch(r: Json): Json {
    const b = this.batchNamed(r.name);
    if (!TERMINAL_BATCH.has(b.state)) throw new RpcError(grpc.status.FAILED_PRECONDITION, `Batch ${b.name} is ${b.state}: only finished batches can be deleted`);
    this.batches.delete(b.id);
    return {};
  }

  private batchNamed(name: string): FakeBatch {
    const id = /^projects\/[^/]+\/locations\/[^/]+\/batches\/([^/]+)$/.exec(name ?? '')?.[1];
    const b = id === undefined ? undefined : this.batches.get(id);
    if (!b || b.name !== name) throw new RpcError(grpc.status.NOT_FOUND, `Not found: Batch ${name}`);
    return b;
  }

  private batchView(b: FakeBatch): Json {
    return {
      ...b.spec,
      name: b.name,
      uuid: b.uuid,
      createTime: timestamp(b.createdAt),
      state: b.state,
      stateMessage: b.stateMessage,
      operation: b.operation,
      runtimeInfo: { outputUri: `gs://fake-staging/batches/${b.uuid}/driveroutput` },
    };
  }

  // ---- clusters ----

  private createCluster(r: Json): Json {
    const spec = r.cluster ?? {};
    if (!r.projectId || !r.region) throw new RpcError(grpc.status.INVALID_ARGUMENT, 'project_id and region are required');
    if (spec.projectId !== r.projectId) throw new RpcError(grpc.status.INVALID_ARGUMENT, `cluster.project_id ${JSON.stringify(spec.projectId)} differs from ${JSON.stringify(r.projectId)}`);
    if (!/^[a-z](?:[-a-z0-9]{0,50}[a-z0-9])?$/.test(spec.clusterName ?? '')) throw new RpcError(grpc.status.INVALID_ARGUMENT, `invalid cluster name ${JSON.stringify(spec.clusterName)}`);
    const idle = seconds(spec.config?.lifecycleConfig?.idleDeleteTtl);
    if (idle !== null && (idle < MIN_TTL || idle > MAX_TTL)) throw new RpcError(grpc.status.INVALID_ARGUMENT, `idle_delete_ttl must be between 10 minutes and 14 days, got ${idle} s`);
    const existing = this.clusters.get(spec.clusterName);
    if (existing && !existing.deleted) throw new RpcError(grpc.status.ALREADY_EXISTS, `Already exists: Failed to create cluster: Cluster projects/${r.projectId}/regions/${r.region}/clusters/${spec.clusterName}`);
    const cluster: FakeCluster = { name: spec.clusterName, uuid: randomUUID(), spec, outcome: this.clusterOutcome(spec.clusterName), state: 'CREATING', seen: 0, detail: '', deleted: false };
    this.clusters.set(cluster.name, cluster);
    const name = this.addOperation(r.region, () => this.clusterOperation(cluster, 'CREATE', cluster.state === 'RUNNING', cluster.state === 'ERROR'));
    return this.operation(name).view();
  }

  private async getCluster(r: Json): Promise<Json> {
    const c = this.clusterNamed(r.clusterName);
    await this.step(c, () => {
      switch (c.state) {
        case 'CREATING':
          if (c.outcome.kind === 'error') {
            c.state = 'ERROR';
            c.detail = c.outcome.detail;
          } else {
            c.state = 'RUNNING';
          }
          return;
        case 'STARTING':
        case 'UPDATING':
        case 'REPAIRING':
          c.state = 'RUNNING';
          return;
        case 'STOPPING':
          c.state = 'STOPPED';
          return;
        case 'DELETING':
          c.deleted = true;
          return;
      }
    }, new Set(['RUNNING', 'ERROR', 'STOPPED', 'ERROR_DUE_TO_UPDATE']));
    if (c.deleted) throw new RpcError(grpc.status.NOT_FOUND, `Not found: Cluster projects/${r.projectId}/regions/${r.region}/clusters/${r.clusterName}`);
    return this.clusterView(c);
  }

  private deleteCluster(r: Json): Json {
    const c = this.clusterNamed(r.clusterName);
    if (r.clusterUuid && r.clusterUuid !== c.uuid) throw new RpcError(grpc.status.NOT_FOUND, `Not found: Cluster ${r.clusterName} with uuid ${r.clusterUuid}`);
    if (c.state === 'DELETING') throw new RpcError(grpc.status.FAILED_PRECONDITION, `Cluster ${r.clusterName} is already being deleted`);
    c.state = 'DELETING';
    c.seen = 0;
    const name = this.addOperation(r.region, () => this.clusterOperation(c, 'DELETE', c.deleted, false, true));
    return this.operation(name).view();
  }

  private startCluster(r: Json): Json {
    const c = this.clusterNamed(r.clusterName);
    if (c.state !== 'STOPPED') throw new RpcError(grpc.status.FAILED_PRECONDITION, `Cluster ${r.clusterName} is ${c.state}, not STOPPED`);
    c.state = 'STARTING';
    c.seen = 0;
    const name = this.addOperation(r.region, () => this.clusterOperation(c, 'START', c.state === 'RUNNING', false));
    return this.operation(name).view();
  }

  private clusterOperation(c: FakeCluster, type: string, done: boolean, failed: boolean, empty = false): Json {
    const metadata = packAny('google.cloud.dataproc.v1.ClusterOperationMetadata', { clusterName: c.name, clusterUuid: c.uuid, operationType: type, status: { state: done || failed ? 'DONE' : 'RUNNING' } });
    if (failed) return { done: true, metadata, error: { code: grpc.status.UNKNOWN, message: c.detail, details: [] } };
    if (!done) return { done: false, metadata };
    return { done: true, metadata, response: empty ? packAny('google.protobuf.Empty', {}) : packAny('google.cloud.dataproc.v1.Cluster', this.clusterView(c)) };
  }

  private clusterNamed(name: string): FakeCluster {
    const c = this.clusters.get(name);
    if (!c || c.deleted) throw new RpcError(grpc.status.NOT_FOUND, `Not found: Cluster ${name}`);
    return c;
  }

  private clusterView(c: FakeCluster): Json {
    return { ...c.spec, clusterUuid: c.uuid, status: { state: c.state, detail: c.detail } };
  }

  // ---- jobs ----

  private submitJob(r: Json): Json {
    const spec = r.job ?? {};
    const jobId: string = spec.reference?.jobId || randomUUID();
    if (!/^[A-Za-z0-9_-]{1,100}$/.test(jobId)) throw new RpcError(grpc.status.INVALID_ARGUMENT, `Job id ${JSON.stringify(jobId)}: letters, digits, '_' and '-', at most 100`);
    if (!spec.pysparkJob?.mainPythonFileUri) throw new RpcError(grpc.status.INVALID_ARGUMENT, 'pyspark_job.main_python_file_uri is required');
    if (this.jobs.has(jobId)) throw new RpcError(grpc.status.ALREADY_EXISTS, `Already exists: Job projects/${r.projectId}/regions/${r.region}/jobs/${jobId}`);
    const clusterName = spec.placement?.clusterName;
    const c = this.clusters.get(clusterName);
    if (!c || c.deleted) throw new RpcError(grpc.status.NOT_FOUND, `Not found: Cluster projects/${r.projectId}/regions/${r.region}/clusters/${clusterName}`);
    if (c.state !== 'RUNNING' && c.state !== 'ERROR_DUE_TO_UPDATE') throw new RpcError(grpc.status.FAILED_PRECONDITION, `Cluster ${clusterName} is ${c.state}: jobs need a RUNNING cluster`);
    const work = this.work('job', jobId, spec.pysparkJob.args, spec.labels);
    const job: FakeJob = { id: jobId, uuid: randomUUID(), spec, clusterUuid: c.uuid, outcome: this.outcome(work), state: 'PENDING', seen: 0, details: '' };
    this.jobs.set(jobId, job);
    return this.jobView(job);
  }

  private async getJob(r: Json): Promise<Json> {
    const j = this.jobNamed(r.jobId);
    await this.step(j, async () => {
      switch (j.state) {
        case 'PENDING':
          j.state = 'SETUP_DONE';
          return;
        case 'SETUP_DONE':
          j.state = 'RUNNING';
          return;
        case 'CANCEL_PENDING':
          j.state = 'CANCELLED';
          j.details = 'Job cancelled by user request';
          return;
        case 'RUNNING': {
          const result = await this.finish('job', j.id, j.spec.pysparkJob.args, j.spec.labels, j.outcome);
          if (result === null) return;
          j.state = result.ok ? 'DONE' : 'ERROR';
          j.details = result.ok ? '' : result.message;
        }
      }
    }, TERMINAL_JOB);
    return this.jobView(j);
  }

  private cancelJob(r: Json): Json {
    const j = this.jobNamed(r.jobId);
    if (TERMINAL_JOB.has(j.state)) throw new RpcError(grpc.status.FAILED_PRECONDITION, `Job ${r.jobId} is already in state ${j.state}`);
    j.state = 'CANCEL_PENDING';
    j.seen = 0;
    return this.jobView(j);
  }

  private jobNamed(jobId: string): FakeJob {
    const j = this.jobs.get(jobId);
    if (!j) throw new RpcError(grpc.status.NOT_FOUND, `Not found: Job ${jobId}`);
    return j;
  }

  private jobView(j: FakeJob): Json {
    return {
      ...j.spec,
      reference: { ...j.spec.reference, jobId: j.id },
      placement: { ...j.spec.placement, clusterUuid: j.clusterUuid },
      status: { state: j.state, details: j.details },
      jobUuid: j.uuid,
      driverOutputResourceUri: `gs://fake-staging/google-cloud-dataproc-metainfo/${j.clusterUuid}/jobs/${j.id}/driveroutput`,
    };
  }

  // ---- shared ----

  private work(kind: FakeWork['kind'], id: string, args: unknown, labels: unknown): FakeWork {
    return { kind, id, args: Array.isArray(args) ? [...args] : [], labels: { ...(labels as Record<string, string>) } };
  }

  /** Counts one Get; once a state has been seen `stepsPerState` times, `advance` moves it on. */
  private async step(resource: Stepped, advance: () => void | Promise<void>, settled: ReadonlySet<string>): Promise<void> {
    if (resource.finishing) await resource.finishing;
    if (settled.has(resource.state)) return;
    if (resource.seen >= this.stepsPerState) {
      const before = resource.state;
      resource.finishing = Promise.resolve(advance());
      try {
        await resource.finishing;
      } finally {
        resource.finishing = undefined;
      }
      if (resource.state !== before) resource.seen = 0;
    }
    resource.seen++;
  }

  /** A RUNNING batch or job finishing: null while it hangs, else ok or the failure message. */
  private async finish(kind: FakeWork['kind'], id: string, args: unknown, labels: unknown, outcome: FakeWorkOutcome): Promise<{ ok: true } | { ok: false; message: string } | null> {
    if (outcome.kind === 'hang') return null;
    if (outcome.kind === 'fail') return { ok: false, message: outcome.message };
    try {
      await this.run?.(this.work(kind, id, args, labels));
      return { ok: true };
    } catch (err) {
      return { ok: false, message: `Job failed with message [${err instanceof Error ? err.message : String(err)}]` };
    }
  }
}
