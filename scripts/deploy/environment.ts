/** The deployed code's settings: the tick function's environment and deploy command, and app.yaml's values. */
import type { DeploymentNames } from './names.js';
import type { DeployOptions } from './options.js';
import type { MovielensSource } from './staging.js';
import { DeployError } from './context.js';

/** The tick function's limits: a tick is a few store calls and API requests; one at a time (it holds a lease anyway). */
export const FUNCTION_TIMEOUT_SECONDS = 300;

/** The tick function's environment (SESSION_SECRET comes from Secret Manager, not from here). */
export function functionEnv(options: DeployOptions, names: DeploymentNames, functionUrl: string): Record<string, string> {
  return {
    NODE_ENV: 'production',
    STORE: 'firestore',
    ENGINE: 'dataproc',
    DATA_DIR: '/tmp/moviehunter',
    LOG_LEVEL: 'info',
    GOOGLE_CLOUD_PROJECT: options.project,
    GCS_BUCKET: options.bucket,
    GCS_RATINGS_PATH: relativeToBucket(names.locations.ratings, names.bucketUrl),
    DATAPROC_REGION: options.region,
    DATAPROC_MODE: options.dataprocMode,
    DATAPROC_SERVICE_ACCOUNT: names.accounts.dataproc.email,
    ...(options.subnetGiven ? { DATAPROC_SUBNETWORK: options.subnet } : {}),
    DATAPROC_IDLE_DELETE_TTL_SECONDS: String(names.idleDeleteTtlSeconds),
    RUN_TIMEOUT_SECONDS: String(names.runTimeoutSeconds),
    TICK_AUDIENCE: functionUrl,
    TICK_INVOKER: names.accounts.invoker.email,
  };
}

export function functionDeployArgs(options: DeployOptions, names: DeploymentNames, source: string, functionUrl: string): string[] {
  return [
    'functions',
    'deploy',
    names.functionName,
    '--gen2',
    '--runtime=nodejs20',
    `--region=${options.region}`,
    `--source=${source}`,
    '--entry-point=tick',
    '--trigger-http',
    '--no-allow-unauthenticated',
    `--service-account=${names.accounts.tick.email}`,
    `--timeout=${FUNCTION_TIMEOUT_SECONDS}s`,
    '--memory=512Mi',
    '--max-instances=1',
    `--set-env-vars=${envFlag(functionEnv(options, names, functionUrl))}`,
    `--set-secrets=SESSION_SECRET=${names.secret}:latest`,
    `--project=${options.project}`,
    '--quiet',
  ];
}

/** KEY=VALUE,… for --set-env-vars; gcloud's ^DELIM^ form when a value holds a comma. */
export function envFlag(env: Record<string, string>): string {
  const pairs = Object.entries(env).map(([k, v]) => `${k}=${v}`);
  if (!pairs.some((pair) => pair.includes(','))) return pairs.join(',');
  const delimiter = ['@', '#', '|', '~'].find((d) => !pairs.some((pair) => pair.includes(d)));
  if (!delimiter) throw new DeployError('an environment value holds every delimiter gcloud accepts');
  return `^${delimiter}^${pairs.join(delimiter)}`;
}

/** The values app.yaml's placeholders take (SESSION_SECRET is added by the caller). */
export function appYamlValues(options: DeployOptions, names: DeploymentNames, movielens: MovielensSource, ratingsPath: string): Record<string, string> {
  return {
    APP_SERVICE_ACCOUNT: names.accounts.app.email,
    MOVIELENS_DIR: `movielens/${movielens.name}`,
    PROJECT_ID: options.project,
    BUCKET: options.bucket,
    GCS_RATINGS_PATH: ratingsPath,
    REGION: options.region,
    DATAPROC_MODE: options.dataprocMode,
  };
}

function relativeToBucket(url: string, bucketUrl: string): string {
  return url.startsWith(`${bucketUrl}/`) ? url.slice(bucketUrl.length + 1) : url;
}
