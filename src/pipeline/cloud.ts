/**
 * The pipeline's parts on Google Cloud, from the config: run folders and the model pointer in GCS_BUCKET, the
 * Dataproc engine running spark/ from the bucket, and the ratings the job trains on. Used by the tick (jobs/) and by
 * the app, which only follows the model pointer.
 */
import type { Storage } from '@google-cloud/storage';
import type { Config } from '../config.js';
import type { Logger } from '../log.js';
import { DataprocEngine, type DataprocEngineOptions } from './engines/dataproc.js';
import { folderModelPointer, type ModelPointer } from './model-pointer.js';
import { gcsRunFolder, gcsRunFolders } from './run-files-gcs.js';
import type { RunFolders } from './run-files.js';
import type { RunParams } from './run-params.js';
import { runParamsFor } from './settings.js';

export interface CloudLocations {
  readonly runs: string;
  readonly models: string;
  readonly ratings: string;
  readonly job: string;
  readonly jobPackage: string;
}

/** Where everything lives in the bucket. */
export function cloudLocations(bucket: string, ratingsPath: string): CloudLocations {
  const root = `gs://${bucket}`;
  return {
    runs: `${root}/runs`,
    models: `${root}/models`,
    ratings: `${root}/${ratingsPath.replace(/^\/+/, '')}`,
    job: `${root}/spark/als_job.py`,
    jobPackage: `${root}/spark/moviehunter_als.zip`,
  };
}

type CloudConfig = Pick<
  Config,
  | 'GOOGLE_CLOUD_PROJECT'
  | 'GCS_BUCKET'
  | 'GCS_RATINGS_PATH'
  | 'DATAPROC_REGION'
  | 'DATAPROC_MODE'
  | 'DATAPROC_RUNTIME_VERSION'
  | 'DATAPROC_SERVICE_ACCOUNT'
  | 'DATAPROC_SUBNETWORK'
  | 'DATAPROC_CLUSTER_NAME'
  | 'DATAPROC_IMAGE_VERSION'
  | 'DATAPROC_WORKER_COUNT'
  | 'DATAPROC_IDLE_DELETE_TTL_SECONDS'
  | 'RUN_TIMEOUT_SECONDS'
  | 'ALS_RANK'
  | 'ALS_ITERATIONS'
>;

export interface CloudPipelineParts {
  readonly locations: CloudLocations;
  readonly folders: RunFolders;
  readonly pointer: ModelPointer;
  readonly params: RunParams;
}

export function cloudPipelineParts(config: CloudConfig, storage: Storage): CloudPipelineParts {
  const bucket = required(config.GCS_BUCKET, 'GCS_BUCKET');
  const locations = cloudLocations(bucket, config.GCS_RATINGS_PATH);
  return {
    locations,
    folders: gcsRunFolders(storage, locations.runs),
    pointer: folderModelPointer(gcsRunFolder(storage, locations.models), 'current.json'),
    params: runParamsFor(config, locations.ratings),
  };
}

/** The Dataproc engine as configured; `overrides` carries test clients and endpoints. */
export function dataprocEngineOf(config: CloudConfig, logger: Logger, overrides: Partial<DataprocEngineOptions> = {}): DataprocEngine {
  const locations = cloudLocations(required(config.GCS_BUCKET, 'GCS_BUCKET'), config.GCS_RATINGS_PATH);
  return new DataprocEngine({
    projectId: required(config.GOOGLE_CLOUD_PROJECT, 'GOOGLE_CLOUD_PROJECT'),
    region: required(config.DATAPROC_REGION, 'DATAPROC_REGION'),
    mode: config.DATAPROC_MODE,
    mainPythonFileUri: locations.job,
    pythonFileUris: [locations.jobPackage],
    runtimeVersion: config.DATAPROC_RUNTIME_VERSION,
    // Dataproc ends a batch the tick has already given up on.
    batchTtlSeconds: Math.max(600, config.RUN_TIMEOUT_SECONDS),
    ...(config.DATAPROC_SERVICE_ACCOUNT ? { serviceAccount: config.DATAPROC_SERVICE_ACCOUNT } : {}),
    ...(config.DATAPROC_SUBNETWORK ? { subnetworkUri: config.DATAPROC_SUBNETWORK } : {}),
    clusterName: config.DATAPROC_CLUSTER_NAME,
    imageVersion: config.DATAPROC_IMAGE_VERSION,
    workerCount: config.DATAPROC_WORKER_COUNT,
    idleDeleteTtlSeconds: config.DATAPROC_IDLE_DELETE_TTL_SECONDS,
    logger,
    ...overrides,
  });
}

function required(value: string | undefined, name: string): string {
  if (!value) throw new Error(`${name} is required on Google Cloud`);
  return value;
}
