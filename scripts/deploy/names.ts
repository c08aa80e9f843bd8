/** Every name the deployment uses, derived once from the options so each step and the tests agree on them. */
import { cloudLocations, type CloudLocations } from '../../src/pipeline/cloud.js';
import { tickIntervalSeconds, type DeployOptions } from './options.js';

export interface ServiceAccount {
  /** The account id (the part before @). */
  readonly id: string;
  readonly email: string;
  readonly displayName: string;
}

export interface DeploymentNames {
  readonly project: string;
  readonly region: string;
  readonly bucketUrl: string;
  readonly accounts: {
    /** The web app on App Engine. */
    readonly app: ServiceAccount;
    /** The tick function. */
    readonly tick: ServiceAccount;
    /** Cloud Scheduler's identity: the only caller the function accepts. */
    readonly invoker: ServiceAccount;
    /** What Dataproc batches and cluster VMs run as. */
    readonly dataproc: ServiceAccount;
  };
  readonly functionName: string;
  /** The function's cloudfunctions.net address: its audience for OIDC (known before the first deploy). */
  readonly functionUrl: string;
  readonly schedulerJob: string;
  readonly schedulerParent: string;
  readonly secret: string;
  readonly database: string;
  readonly locations: CloudLocations;
  /** A run with no result this long after it started is retried: several ticks, so a finished run is never timed out. */
  readonly runTimeoutSeconds: number;
  /** Cluster mode: longer than the time between ticks, or each tick would build a new cluster. */
  readonly idleDeleteTtlSeconds: number;
}

export const FUNCTION_NAME = 'moviehunter-tick';
export const SCHEDULER_JOB = 'moviehunter-tick';
export const SECRET_NAME = 'moviehunter-session-secret';
export const DATABASE = '(default)';

export function deploymentNames(options: DeployOptions, ratingsPath: string): DeploymentNames {
  const { project, region } = options;
  const account = (id: string, displayName: string): ServiceAccount => ({ id, email: `${id}@${project}.iam.gserviceaccount.com`, displayName });
  const interval = tickIntervalSeconds(options.schedule);
  return {
    project,
    region,
    bucketUrl: `gs://${options.bucket}`,
    accounts: {
      app: account('moviehunter-app', 'MovieHunter web app (App Engine)'),
      tick: account('moviehunter-tick', 'MovieHunter tick (Cloud Function)'),
      invoker: account('moviehunter-scheduler', 'MovieHunter Cloud Scheduler invoker'),
      dataproc: account('moviehunter-dataproc', 'MovieHunter Dataproc workload'),
    },
    functionName: FUNCTION_NAME,
    functionUrl: `https://${region}-${project}.cloudfunctions.net/${FUNCTION_NAME}`,
    schedulerJob: `projects/${project}/locations/${region}/jobs/${SCHEDULER_JOB}`,
    schedulerParent: `projects/${project}/locations/${region}`,
    secret: SECRET_NAME,
    database: DATABASE,
    locations: cloudLocations(options.bucket, ratingsPath),
    runTimeoutSeconds: Math.min(7 * 86_400, Math.max(3600, 3 * interval)),
    idleDeleteTtlSeconds: Math.min(14 * 86_400, Math.max(1800, interval + 900)),
  };
}
