/**
 * Cluster mode, as the original system ran: one Dataproc cluster shared by the runs, which Dataproc deletes itself
 * once it has been idle for idleDeleteTtlSeconds, and one PySpark job per run on it, the job named after the run.
 * A run that finds the cluster gone (deleted while idle) has it created again; one that finds it in ERROR fails with
 * the cluster's own reason and has the broken cluster deleted, so the next run gets a new one.
 *
 * Nothing waits for the cluster: submit() asks for it (created, restarted, or replaced after ERROR) and submits the
 * job only when the cluster is already RUNNING; otherwise a later status() — in whatever process — finds no job,
 * looks at the cluster again, and submits the job once it is RUNNING.
 */
import { protos, type ClusterControllerClient, type JobControllerClient } from '@google-cloud/dataproc';
import type { Logger } from '../../log.js';
import type { EngineStatus, RunHandle } from './engine.js';
import { Code, enumName, isApiError, isPermanent } from './dataproc-api.js';
import { dataprocIdFor, labelValueFor } from './dataproc-ids.js';
import { failed, jobArgs, messageOr, outcomeInFolderOrNull, succeededIf, type DataprocContext } from './dataproc-shared.js';

type Cluster = protos.google.cloud.dataproc.v1.ICluster;
type Job = protos.google.cloud.dataproc.v1.IJob;
const ClusterState = protos.google.cloud.dataproc.v1.ClusterStatus.State;
const JobState = protos.google.cloud.dataproc.v1.JobStatus.State;

/** Cluster states a job can be submitted in. */
const READY = new Set(['RUNNING', 'ERROR_DUE_TO_UPDATE']);

export class ClusterRuns {
  constructor(
    private readonly ctx: DataprocContext,
    private readonly clusters: ClusterControllerClient,
    private readonly jobs: JobControllerClient,
  ) {}

  jobId(run: RunHandle): string {
    return dataprocIdFor(run.id, this.ctx.settings.idPrefix);
  }

  /** The Cluster that createCluster asks for. */
  clusterSpec(): Cluster {
    const s = this.ctx.settings;
    const singleNode = s.workerCount === 0;
    const disk = { bootDiskSizeGb: s.bootDiskSizeGb };
    const gce: protos.google.cloud.dataproc.v1.IGceClusterConfig = {};
    if (s.serviceAccount) {
      gce.serviceAccount = s.serviceAccount;
      gce.serviceAccountScopes = ['https://www.googleapis.com/auth/cloud-platform'];
    }
    if (s.subnetworkUri) gce.subnetworkUri = s.subnetworkUri;
    return {
      projectId: s.projectId,
      clusterName: s.clusterName,
      labels: { ...s.labels, app: 'moviehunter' },
      config: {
        ...(s.stagingBucket ? { configBucket: s.stagingBucket } : {}),
        gceClusterConfig: gce,
        masterConfig: { numInstances: 1, machineTypeUri: s.masterMachineType, diskConfig: disk },
        workerConfig: singleNode ? { numInstances: 0 } : { numInstances: s.workerCount, machineTypeUri: s.workerMachineType, diskConfig: disk },
        softwareConfig: {
          imageVersion: s.imageVersion,
          properties: singleNode ? { 'dataproc:dataproc.allow.zero.workers': 'true' } : {},
        },
        // Dataproc deletes the cluster itself once no job has run on it this long: nothing to clean up from here.
        lifecycleConfig: { idleDeleteTtl: { seconds: s.idleDeleteTtlSeconds } },
      },
    };
  }

  /** The Job that submitJob sends for a run. */
  jobSpec(run: RunHandle): Job {
    const s = this.ctx.settings;
    return {
      reference: { projectId: s.projectId, jobId: this.jobId(run) },
      placement: { clusterName: s.clusterName },
      pysparkJob: {
        mainPythonFileUri: s.mainPythonFileUri,
        pythonFileUris: [...s.pythonFileUris],
        args: jobArgs(run, s),
        properties: { ...s.sparkProperties },
      },
      labels: { ...s.labels, app: 'moviehunter', run: labelValueFor(run.id) },
    };
  }

  async submit(run: RunHandle, log?: Logger): Promise<void> {
    const cluster = await this.getCluster();
    if (await this.prepareCluster(cluster, log)) await this.submitJob(run, log);
    else log?.info({ cluster: this.ctx.settings.clusterName, jobId: this.jobId(run) }, 'run accepted; its job is submitted once the cluster is running');
  }

  async status(run: RunHandle, log?: Logger): Promise<EngineStatus> {
    const job = await this.getJob(run);
    if (job !== null) return this.jobStatus(run, job, log);

    // No job yet: the run waits for the cluster (or the job finished and is gone: the folder says so).
    const done = await outcomeInFolderOrNull(run.folder);
    if (done) return done;
    const name = this.ctx.settings.clusterName;
    try {
      const cluster = await this.getCluster();
      const state = cluster ? clusterState(cluster) : null;
      if (cluster && state === 'ERROR') {
        // This run fails with the cluster's own reason; the broken cluster goes, so the next run gets a new one.
        await this.deleteCluster(cluster, log).catch((err: unknown) => log?.warn({ err: String(err) }, 'could not delete the cluster in ERROR'));
        return failed(run, `the Dataproc cluster ${name} went into ERROR before the job could start: ${messageOr(cluster.status?.detail, 'no detail')}`, log);
      }
      if (await this.prepareCluster(cluster, log)) await this.submitJob(run, log);
      return { state: 'running' };
    } catch (err) {
      // A request Dataproc refuses for good (permissions, quota, a bad setting) fails the run now with its reason;
      // anything else (unreachable, busy) is asked again on the next tick.
      if (isPermanent(err)) return failed(run, `could not start the job on cluster ${name}: ${(err as Error).message}`, log);
      throw err;
    }
  }

  async cancel(run: RunHandle, reason: string, log?: Logger): Promise<void> {
    const s = this.ctx.settings;
    try {
      await this.ctx.calls.call('cancelJob', (options) => this.jobs.cancelJob({ projectId: s.projectId, region: s.region, jobId: this.jobId(run) }, options));
      log?.info({ jobId: this.jobId(run), reason }, 'Dataproc job cancelled');
    } catch (err) {
      // No job (never submitted) or already finished: nothing to stop.
      if (isApiError(err, Code.NOT_FOUND) || isApiError(err, Code.FAILED_PRECONDITION)) return;
      throw err;
    }
  }

  private async jobStatus(run: RunHandle, job: Job, log?: Logger): Promise<EngineStatus> {
    const id = this.jobId(run);
    const state = enumName(job.status?.state, JobState);
    const details = messageOr(job.status?.details, 'no details');
    const output = job.driverOutputResourceUri ? ` (driver output: ${job.driverOutputResourceUri}*)` : '';
    switch (state) {
      case 'DONE':
        return succeededIf(run, `the Dataproc job ${id} finished but wrote no _SUCCESS in ${run.folder.location}`, log);
      case 'ERROR':
      case 'ATTEMPT_FAILURE':
        return failed(run, `the Dataproc job ${id} failed: ${details}${output}`, log);
      case 'CANCELLED':
        return failed(run, `the Dataproc job ${id} was cancelled: ${details}`, log);
      default:
        // PENDING, SETUP_DONE, RUNNING, CANCEL_PENDING, CANCEL_STARTED (and anything newer): not finished.
        return { state: 'running' };
    }
  }

  /**
   * Gets the cluster ready; true when a job can be submitted now. Missing → created; ERROR → deleted (a later call
   * creates it again); STOPPED → started; on its way (CREATING, UPDATING, DELETING, STARTING…) → left alone.
   */
  private async prepareCluster(cluster: Cluster | null, log?: Logger): Promise<boolean> {
    const name = this.ctx.settings.clusterName;
    if (cluster === null) {
      await this.createCluster(log);
      return false;
    }
    const state = clusterState(cluster);
    if (READY.has(state)) return true;
    if (state === 'ERROR') {
      log?.warn({ cluster: name, detail: cluster.status?.detail }, 'the Dataproc cluster is in ERROR: deleting it to create it again');
      await this.deleteCluster(cluster, log);
    } else if (state === 'STOPPED') {
      const s = this.ctx.settings;
      log?.info({ cluster: name }, 'starting the stopped Dataproc cluster');
      await this.ctx.calls.call('startCluster', (options) =>
        this.clusters.startCluster({ projectId: s.projectId, region: s.region, clusterName: name, clusterUuid: cluster.clusterUuid ?? '' }, options),
      );
    } else {
      log?.debug({ cluster: name, state }, 'waiting for the Dataproc cluster');
    }
    return false;
  }

  private async createCluster(log?: Logger): Promise<void> {
    const s = this.ctx.settings;
    try {
      // Resolves once Dataproc accepted the request; the creation itself (minutes) is never awaited.
      await this.ctx.calls.call('createCluster', (options) => this.clusters.createCluster({ projectId: s.projectId, region: s.region, cluster: this.clusterSpec() }, options));
      log?.info({ cluster: s.clusterName, idleDeleteTtlSeconds: s.idleDeleteTtlSeconds }, 'Dataproc cluster being created');
    } catch (err) {
      if (!isApiError(err, Code.ALREADY_EXISTS)) throw err;
      log?.info({ cluster: s.clusterName }, 'Dataproc cluster already exists (created by another tick)');
    }
  }

  /** Deletes this very cluster (by uuid: never a newer one of the same name); fine when it is already going. */
  private async deleteCluster(cluster: Cluster, log?: Logger): Promise<void> {
    const s = this.ctx.settings;
    try {
      await this.ctx.calls.call('deleteCluster', (options) =>
        this.clusters.deleteCluster({ projectId: s.projectId, region: s.region, clusterName: s.clusterName, clusterUuid: cluster.clusterUuid ?? '' }, options),
      );
      log?.info({ cluster: s.clusterName }, 'Dataproc cluster being deleted');
    } catch (err) {
      if (isApiError(err, Code.NOT_FOUND) || isApiError(err, Code.FAILED_PRECONDITION)) return;
      throw err;
    }
  }

  private async submitJob(run: RunHandle, log?: Logger): Promise<void> {
    const s = this.ctx.settings;
    const job = this.jobSpec(run);
    try {
      await this.ctx.calls.call('submitJob', (options) => this.jobs.submitJob({ projectId: s.projectId, region: s.region, job }, options));
      log?.info({ cluster: s.clusterName, jobId: job.reference?.jobId }, 'Dataproc job submitted');
    } catch (err) {
      if (!isApiError(err, Code.ALREADY_EXISTS)) throw err;
      log?.info({ jobId: job.reference?.jobId }, 'Dataproc job already exists: submitted before');
    }
  }

  private async getCluster(): Promise<Cluster | null> {
    const s = this.ctx.settings;
    try {
      const [cluster] = await this.ctx.calls.call('getCluster', (options) => this.clusters.getCluster({ projectId: s.projectId, region: s.region, clusterName: s.clusterName }, options));
      return cluster;
    } catch (err) {
      if (isApiError(err, Code.NOT_FOUND)) return null;
      throw err;
    }
  }

  private async getJob(run: RunHandle): Promise<Job | null> {
    const s = this.ctx.settings;
    try {
      const [job] = await this.ctx.calls.call('getJob', (options) => this.jobs.getJob({ projectId: s.projectId, region: s.region, jobId: this.jobId(run) }, options));
      return job;
    } catch (err) {
      if (isApiError(err, Code.NOT_FOUND)) return null;
      throw err;
    }
  }
}

function clusterState(cluster: Cluster): string {
  return enumName(cluster.status?.state, ClusterState);
}
