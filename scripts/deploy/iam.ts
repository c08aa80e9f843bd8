/** Who may do what: the least each of the four service accounts needs, and what a policy is still missing. */
import type { DeploymentNames } from './names.js';

export interface Binding {
  readonly member: string;
  readonly role: string;
  /** Why: printed next to the command. */
  readonly why: string;
}

export interface Bindings {
  /** On the project. */
  readonly project: readonly Binding[];
  /** On the bucket. */
  readonly bucket: readonly Binding[];
  /** On the Dataproc service account (who may run work as it). */
  readonly dataprocAccount: readonly Binding[];
  /** On the secret. */
  readonly secret: readonly Binding[];
}

export function wantedBindings(names: DeploymentNames): Bindings {
  const sa = (email: string) => `serviceAccount:${email}`;
  const { app, tick, dataproc } = names.accounts;
  return {
    project: [
      { member: sa(app.email), role: 'roles/datastore.user', why: 'the app reads and writes Firestore' },
      { member: sa(app.email), role: 'roles/logging.logWriter', why: 'the app writes its logs' },
      { member: sa(tick.email), role: 'roles/datastore.user', why: 'the tick reads and writes Firestore' },
      { member: sa(tick.email), role: 'roles/dataproc.editor', why: 'the tick submits, watches and cancels Dataproc batches, clusters and jobs' },
      { member: sa(tick.email), role: 'roles/logging.logWriter', why: 'the tick writes its logs' },
      { member: sa(dataproc.email), role: 'roles/dataproc.worker', why: 'Dataproc workloads run as this account' },
      { member: sa(dataproc.email), role: 'roles/logging.logWriter', why: 'Spark writes its logs' },
    ],
    bucket: [
      { member: sa(app.email), role: 'roles/storage.objectViewer', why: 'the app reads the model pointer and models' },
      { member: sa(tick.email), role: 'roles/storage.objectAdmin', why: 'the tick writes run folders and the model pointer' },
      { member: sa(dataproc.email), role: 'roles/storage.objectAdmin', why: 'the Spark job reads the ratings and writes results' },
    ],
    dataprocAccount: [{ member: sa(tick.email), role: 'roles/iam.serviceAccountUser', why: 'the tick starts Dataproc work that runs as the Dataproc account' }],
    secret: [{ member: sa(tick.email), role: 'roles/secretmanager.secretAccessor', why: 'the function gets SESSION_SECRET from Secret Manager (config requires it in production)' }],
  };
}

/** An IAM policy as gcloud prints it with --format=json. */
export interface Policy {
  readonly bindings?: readonly { role?: string; members?: readonly string[]; condition?: unknown }[];
}

/** The wanted bindings a policy lacks (a conditional binding does not count: it may not apply). */
export function missingBindings(wanted: readonly Binding[], policy: Policy): Binding[] {
  return wanted.filter(
    (binding) => !(policy.bindings ?? []).some((b) => b.role === binding.role && b.condition === undefined && (b.members ?? []).includes(binding.member)),
  );
}

/** IAM may not know a service account for a few seconds after it is made. */
export function isUnknownAccount(stderr: string): boolean {
  return /does not exist|not found|INVALID_ARGUMENT.*serviceAccount/i.test(stderr);
}
