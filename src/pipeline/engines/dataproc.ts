/**
 * The dataproc engine: spark/als_job.py on Google Cloud Dataproc, as a Serverless batch per run (mode `serverless`)
 * or as a job per run on a cluster that Dataproc deletes itself once idle (mode `cluster`).
 *
 * Stateless, as the tick needs on Cloud Functions (a fresh process per call): a run's batch or job is named after the
 * run id (./dataproc-ids.ts), so status() in any process finds it from the run id alone, and a replayed submit meets
 * ALREADY_EXISTS instead of starting a second training. Nothing waits for Dataproc: submit() returns once a request
 * is accepted, status() is a few API calls, each with a deadline, and an unreachable API is a readable error that
 * the tick reports and asks again about next time.
 */
import { BatchControllerClient, ClusterControllerClient, JobControllerClient } from '@google-cloud/dataproc';
import type { Logger } from '../../log.js';
import { isFinished } from './run-outcome.js';
import type { Engine, EngineStatus, RunHandle } from './engine.js';
import { DataprocCalls } from './dataproc-api.js';
import { ClusterRuns } from './dataproc-cluster.js';
import { checkLabels, ID_PREFIX_PATTERN } from './dataproc-ids.js';
import { ServerlessRuns } from './dataproc-serverless.js';
import { DATAPROC_ENGINE, type DataprocContext, type DataprocSettings } from './dataproc-shared.js';

export { DATAPROC_ENGINE } from './dataproc-shared.js';
export { dataprocIdFor } from './dataproc-ids.js';
export { DataprocApiError } from './dataproc-api.js';

export type DataprocMode = 'serverless' | 'cluster';

/** The client library's constructor options (apiEndpoint, port, sslCreds, credentials…). */
export type DataprocClientOptions = NonNullable<ConstructorParameters<typeof BatchControllerClient>[0]>;

export interface DataprocEngineOptions {
  readonly projectId: string;
  /** A Compute Engine region, e.g. europe-west1 (calls go to its regional endpoint). */
  readonly region: string;
  readonly mode: DataprocMode;
  /** gs://…/spark/als_job.py. */
  readonly mainPythonFileUri: string;
  /** The job's package, e.g. gs://…/spark/moviehunter_als.zip (als_job.py imports moviehunter_als). */
  readonly pythonFileUris?: readonly string[];
  /** Spark properties for every run (spark.executor.instances, spark.executor.memory…). */
  readonly sparkProperties?: Readonly<Record<string, string>>;
  /** als_job.py --partitions (ALS blocks); the job chooses when unset. */
  readonly partitions?: number;
  /** The service account the batch or the cluster's VMs run as; Dataproc's default when unset. */
  readonly serviceAccount?: string;
  /** A subnetwork URI or name for the batch or cluster; the default network's when unset. */
  readonly subnetworkUri?: string;
  /** A bucket name (not gs://) for Dataproc's staging files; Dataproc's own per-region bucket when unset. */
  readonly stagingBucket?: string;
  /** Extra labels on batches, clusters and jobs (app=moviehunter and run=<run id> are always set). */
  readonly labels?: Readonly<Record<string, string>>;
  /** Starts every batch and job id ("mh"): two deployments sharing a project and region use different ones. */
  readonly idPrefix?: string;

  /** Serverless: the runtime version (default 2.3: Spark 3.5, LTS; 3.0 is Spark 4.0). */
  readonly runtimeVersion?: string;
  /** Serverless: a batch still running this long is ended by Dataproc (default 4 h; 10 min to 14 days). */
  readonly batchTtlSeconds?: number;

  /** Cluster: its name (default moviehunter), shared by every run. */
  readonly clusterName?: string;
  /** Cluster: the Dataproc image (default 2.3-debian12: Spark 3.5). */
  readonly imageVersion?: string;
  /** Cluster: machine types (default n2-standard-4). */
  readonly masterMachineType?: string;
  readonly workerMachineType?: string;
  /** Cluster: primary workers (default 2; 0 makes a single-node cluster). */
  readonly workerCount?: number;
  /** Cluster: boot disk per VM in GB (default 100). */
  readonly bootDiskSizeGb?: number;
  /**
   * Cluster: Dataproc deletes the cluster after this long without a job (default 30 min; 10 min to 14 days). It must
   * be longer than the time between ticks, or a cluster created by one tick is gone before the next submits its job.
   */
  readonly idleDeleteTtlSeconds?: number;

  /** The deadline of one API call (default 15 s: a tick makes at most three per run and holds its lease 60 s). */
  readonly callTimeoutMs?: number;
  /** Pauses before retrying a call that could not reach the API (default [250, 1000]). */
  readonly retryDelaysMs?: readonly number[];
  /** Accept run folders on the local disk (tests with the stand-in); Dataproc itself can only reach gs:// ones. */
  readonly allowLocalRunFolders?: boolean;

  /** Clients to use instead of the engine's own (tests); the engine never closes these. */
  readonly clients?: {
    readonly batches?: BatchControllerClient;
    readonly clusters?: ClusterControllerClient;
    readonly jobs?: JobControllerClient;
  };
  /** Options for the clients the engine makes (default endpoint: <region>-dataproc.googleapis.com:443). */
  readonly clientOptions?: DataprocClientOptions;
  readonly logger?: Logger;
}

export const DATAPROC_DEFAULTS = {
  runtimeVersion: '2.3',
  batchTtlSeconds: 4 * 3600,
  clusterName: 'moviehunter',
  imageVersion: '2.3-debian12',
  masterMachineType: 'n2-standard-4',
  workerMachineType: 'n2-standard-4',
  workerCount: 2,
  bootDiskSizeGb: 100,
  idleDeleteTtlSeconds: 30 * 60,
  callTimeoutMs: 15_000,
  retryDelaysMs: [250, 1000] as readonly number[],
  idPrefix: 'mh',
} as const;

/** Dataproc's bounds for both the batch TTL and the idle-delete TTL. */
const MIN_TTL_SECONDS = 10 * 60;
const MAX_TTL_SECONDS = 14 * 24 * 3600;

interface OwnedClient {
  close(): Promise<void>;
}

export class DataprocEngine implements Engine {
  readonly name = DATAPROC_ENGINE;
  readonly mode: DataprocMode;
  private readonly settings: DataprocSettings;
  private readonly serverless: ServerlessRuns | null = null;
  private readonly cluster: ClusterRuns | null = null;
  private readonly owned: OwnedClient[] = [];
  private readonly logger: Logger | undefined;
  private readonly allowLocal: boolean;
  private warnedLocal = false;

  constructor(options: DataprocEngineOptions) {
    this.settings = resolveSettings(options);
    this.mode = options.mode;
    this.logger = options.logger?.child({ engine: DATAPROC_ENGINE, mode: options.mode });
    this.allowLocal = options.allowLocalRunFolders ?? false;
    const callTimeoutMs = options.callTimeoutMs ?? DATAPROC_DEFAULTS.callTimeoutMs;
    const retryDelaysMs = options.retryDelaysMs ?? DATAPROC_DEFAULTS.retryDelaysMs;
    if (!(callTimeoutMs > 0)) throw new Error(`dataproc engine: callTimeoutMs must be positive, got ${callTimeoutMs}`);
    if (!retryDelaysMs.every((d) => d >= 0)) throw new Error('dataproc engine: retryDelaysMs must not be negative');

    const clientOptions: DataprocClientOptions = { apiEndpoint: `${this.settings.region}-dataproc.googleapis.com`, ...options.clientOptions };
    const endpoint = `${clientOptions.apiEndpoint ?? clientOptions.servicePath}:${clientOptions.port ?? 443}`;
    const ctx: DataprocContext = {
      settings: this.settings,
      calls: new DataprocCalls({ endpoint, timeoutMs: callTimeoutMs, retryDelaysMs }),
      logger: this.logger,
    };
    const own = <T extends OwnedClient>(client: T): T => {
      this.owned.push(client);
      return client;
    };
    if (options.mode === 'serverless') {
      const batches = options.clients?.batches ?? own(new BatchControllerClient(clientOptions));
      this.serverless = new ServerlessRuns(ctx, batches);
    } else {
      const clusters = options.clients?.clusters ?? own(new ClusterControllerClient(clientOptions));
      const jobs = options.clients?.jobs ?? own(new JobControllerClient(clientOptions));
      this.cluster = new ClusterRuns(ctx, clusters, jobs);
    }
  }

  /** The Dataproc batch id (serverless) or job id (cluster) of a run. */
  dataprocIdOf(run: RunHandle): string {
    return this.serverless ? this.serverless.batchId(run) : this.cluster!.jobId(run);
  }

  async submit(run: RunHandle): Promise<void> {
    const log = this.logger?.child({ runId: run.id });
    this.checkFolder(run, log);
    if (await isFinished(run.folder)) throw new Error(`${run.folder.location}: already holds a finished run`);
    if (this.serverless) await this.serverless.submit(run, log);
    else await this.cluster!.submit(run, log);
  }

  async status(run: RunHandle): Promise<EngineStatus> {
    const log = this.logger?.child({ runId: run.id });
    const status = this.serverless ? await this.serverless.status(run, log) : await this.cluster!.status(run, log);
    if (status.state === 'failed') log?.warn({ reason: status.reason }, 'run failed');
    return status;
  }

  async cancel(run: RunHandle, reason: string): Promise<void> {
    const log = this.logger?.child({ runId: run.id });
    try {
      if (this.serverless) await this.serverless.cancel(run, reason, log);
      else await this.cluster!.cancel(run, reason, log);
    } catch (err) {
      // Best effort: the batch's TTL (serverless) or the tick's failing of the run bounds what is left running.
      log?.warn({ error: (err as Error).message }, 'could not cancel the Dataproc work');
    }
  }

  /** Closes the clients this engine made (not injected ones). */
  async close(): Promise<void> {
    const clients = this.owned.splice(0);
    await Promise.all(clients.map((client) => client.close().catch(() => undefined)));
  }

  private checkFolder(run: RunHandle, log: Logger | undefined): void {
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(run.folder.location)) return;
    if (!this.allowLocal) {
      throw new Error(`the dataproc engine needs run folders Dataproc can reach (gs://…), got ${run.folder.location}`);
    }
    if (!this.warnedLocal) {
      this.warnedLocal = true;
      log?.warn({ folder: run.folder.location }, 'run folder on the local disk: only a stand-in for Dataproc can use it');
    }
  }
}

function resolveSettings(o: DataprocEngineOptions): DataprocSettings {
  const fail = (what: string): never => {
    throw new Error(`dataproc engine: ${what}`);
  };
  if (o.mode !== 'serverless' && o.mode !== 'cluster') fail(`mode must be serverless or cluster, got ${JSON.stringify(o.mode)}`);
  if (!/^(?:[a-z0-9.-]+:)?[a-z][a-z0-9-]{4,28}[a-z0-9]$/.test(o.projectId ?? '')) fail(`projectId ${JSON.stringify(o.projectId)} is not a Google Cloud project id`);
  if (!/^[a-z]+-[a-z]+\d+$/.test(o.region ?? '')) fail(`region ${JSON.stringify(o.region)} is not a region like europe-west1`);
  const uri = /^(gs|hdfs|file):\/\/\S+$/;
  if (!uri.test(o.mainPythonFileUri ?? '')) fail(`mainPythonFileUri must be a gs:// URI of spark/als_job.py, got ${JSON.stringify(o.mainPythonFileUri)}`);
  for (const u of o.pythonFileUris ?? []) if (!uri.test(u)) fail(`pythonFileUris: ${JSON.stringify(u)} is not a gs:// URI`);
  const idPrefix = o.idPrefix ?? DATAPROC_DEFAULTS.idPrefix;
  if (!ID_PREFIX_PATTERN.test(idPrefix)) fail(`idPrefix ${JSON.stringify(idPrefix)}: a lowercase letter, then up to 19 of a-z, 0-9 and '-'`);
  const labels = { ...o.labels };
  checkLabels(labels, 'dataproc engine labels');
  const ttl = (name: string, value: number): number => {
    if (!Number.isInteger(value) || value < MIN_TTL_SECONDS || value > MAX_TTL_SECONDS) {
      fail(`${name} must be whole seconds from ${MIN_TTL_SECONDS} (10 min) to ${MAX_TTL_SECONDS} (14 days), got ${value}`);
    }
    return value;
  };
  const clusterName = o.clusterName ?? DATAPROC_DEFAULTS.clusterName;
  if (!/^[a-z](?:[-a-z0-9]{0,50}[a-z0-9])?$/.test(clusterName)) fail(`clusterName ${JSON.stringify(clusterName)}: lowercase letters, digits and '-', starting with a letter, at most 52`);
  const workerCount = o.workerCount ?? DATAPROC_DEFAULTS.workerCount;
  if (!Number.isInteger(workerCount) || workerCount < 0 || workerCount === 1) fail(`workerCount must be 0 (single node) or at least 2, got ${workerCount}`);
  const bootDiskSizeGb = o.bootDiskSizeGb ?? DATAPROC_DEFAULTS.bootDiskSizeGb;
  if (!Number.isInteger(bootDiskSizeGb) || bootDiskSizeGb < 15) fail(`bootDiskSizeGb must be a whole number of GB, at least 15, got ${bootDiskSizeGb}`);
  if (o.partitions !== undefined && (!Number.isInteger(o.partitions) || o.partitions < 1)) fail(`partitions must be a positive integer, got ${o.partitions}`);
  if (o.stagingBucket !== undefined && !/^[a-z0-9][a-z0-9._-]{1,221}[a-z0-9]$/.test(o.stagingBucket)) fail(`stagingBucket ${JSON.stringify(o.stagingBucket)}: a bucket name, without gs://`);
  for (const [key, value] of Object.entries(o.sparkProperties ?? {})) {
    if (!key || typeof value !== 'string') fail(`sparkProperties: ${JSON.stringify(key)} needs a string value`);
  }
  return {
    projectId: o.projectId,
    region: o.region,
    mainPythonFileUri: o.mainPythonFileUri,
    pythonFileUris: [...(o.pythonFileUris ?? [])],
    sparkProperties: { ...o.sparkProperties },
    partitions: o.partitions,
    serviceAccount: o.serviceAccount || undefined,
    subnetworkUri: o.subnetworkUri || undefined,
    stagingBucket: o.stagingBucket || undefined,
    labels,
    idPrefix,
    runtimeVersion: o.runtimeVersion ?? DATAPROC_DEFAULTS.runtimeVersion,
    batchTtlSeconds: ttl('batchTtlSeconds', o.batchTtlSeconds ?? DATAPROC_DEFAULTS.batchTtlSeconds),
    clusterName,
    imageVersion: o.imageVersion ?? DATAPROC_DEFAULTS.imageVersion,
    masterMachineType: o.masterMachineType ?? DATAPROC_DEFAULTS.masterMachineType,
    workerMachineType: o.workerMachineType ?? DATAPROC_DEFAULTS.workerMachineType,
    workerCount,
    bootDiskSizeGb,
    idleDeleteTtlSeconds: ttl('idleDeleteTtlSeconds', o.idleDeleteTtlSeconds ?? DATAPROC_DEFAULTS.idleDeleteTtlSeconds),
  };
}
