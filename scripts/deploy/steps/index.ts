/** The deployment as a list of named steps, in the order they run; each id names the plan entries it prints. */
import type { DeployContext } from '../context.js';
import {
  enableApis,
  ensureAppEngine,
  ensureBucket,
  ensureFirestoreDatabase,
  ensureFirestoreIndexes,
  ensureFirestoreTtl,
  ensureIamBindings,
  ensurePrivateGoogleAccess,
  ensureServiceAccounts,
  ensureSessionSecret,
} from './platform.js';
import { allowSchedulerToInvoke, deployTickFunction, deployWebApp, ensureTickSchedule, uploadDataAndJob } from './release.js';

export interface DeployStep {
  readonly id: string;
  readonly title: string;
  readonly run: (ctx: DeployContext) => Promise<void>;
}

export const DEPLOY_STEPS = [
  { id: 'apis', title: 'Enable the APIs', run: enableApis },
  { id: 'app-engine', title: 'App Engine application', run: ensureAppEngine },
  { id: 'firestore', title: 'Firestore database (native mode)', run: ensureFirestoreDatabase },
  { id: 'firestore-indexes', title: 'Firestore indexes (composite, and fields left unindexed)', run: ensureFirestoreIndexes },
  { id: 'firestore-ttl', title: 'Firestore TTL policy (sessions)', run: ensureFirestoreTtl },
  { id: 'bucket', title: 'Cloud Storage bucket', run: ensureBucket },
  { id: 'network', title: 'Private Google Access for Dataproc', run: ensurePrivateGoogleAccess },
  { id: 'service-accounts', title: 'Service accounts', run: ensureServiceAccounts },
  { id: 'iam', title: 'IAM bindings', run: ensureIamBindings },
  { id: 'secret', title: 'Session secret (Secret Manager)', run: ensureSessionSecret },
  { id: 'upload', title: 'Ratings and the Spark job in the bucket', run: uploadDataAndJob },
  { id: 'function', title: 'Tick function (Cloud Functions gen2)', run: deployTickFunction },
  { id: 'invoker', title: 'Who may call the tick function', run: allowSchedulerToInvoke },
  { id: 'app', title: 'Web app (App Engine)', run: deployWebApp },
  { id: 'scheduler', title: 'Cloud Scheduler job', run: ensureTickSchedule },
] as const satisfies readonly DeployStep[];

export type StepId = (typeof DEPLOY_STEPS)[number]['id'];
