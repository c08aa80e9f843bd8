/** The steps that set the project up: APIs, App Engine, Firestore, the bucket, the network, accounts, IAM, the secret. */
import { randomBytes } from 'node:crypto';
import { SECRET_SHOWN_AS } from '../app-yaml.js';
import { DeployError, type DeployContext } from '../context.js';
import type { GcloudResult } from '../gcloud.js';
import { isUnknownAccount, missingBindings, type Binding, type Policy } from '../iam.js';
import { createIndexArgs, exemptionArgs, isExempt, missingIndexes, type ListedIndex } from '../indexes.js';
import type { ServiceAccount } from '../names.js';
import { parseJson, parseLines, type Exec } from '../plan.js';

/** The APIs the deployment uses (Compute Engine and Resource Manager for the subnet and project IAM look-ups). */
export const APIS = [
  'appengine.googleapis.com',
  'firestore.googleapis.com',
  'storage.googleapis.com',
  'dataproc.googleapis.com',
  'cloudscheduler.googleapis.com',
  'cloudfunctions.googleapis.com',
  'run.googleapis.com',
  'cloudbuild.googleapis.com',
  'artifactregistry.googleapis.com',
  'secretmanager.googleapis.com',
  'iam.googleapis.com',
  'compute.googleapis.com',
  'cloudresourcemanager.googleapis.com',
] as const;

export async function enableApis({ x, p }: DeployContext): Promise<void> {
  const enabled = await x.look(['services', 'list', '--enabled', p, '--format=value(config.name)'], parseLines);
  const missing = enabled.kind === 'found' ? APIS.filter((api) => !enabled.value.includes(api)) : [...APIS];
  if (missing.length === 0) x.note('all enabled');
  else await x.run(['services', 'enable', ...missing, p], { when: 'those not enabled yet' });
}

export async function ensureAppEngine({ x, p, options }: DeployContext): Promise<void> {
  const app = await x.look(['app', 'describe', p, '--format=json'], parseJson<{ locationId?: string }>);
  if (app.kind === 'found') {
    x.note(`there, in ${app.value.locationId ?? 'its region'}${app.value.locationId && app.value.locationId !== options.appEngineRegion ? ` (not ${options.appEngineRegion}: an app cannot move; it stays)` : ''}`);
  } else {
    await x.run(['app', 'create', `--region=${options.appEngineRegion}`, p], { when: 'if missing' });
  }
}

export async function ensureFirestoreDatabase({ x, p, options, names }: DeployContext): Promise<void> {
  const db = await x.look(['firestore', 'databases', 'describe', `--database=${names.database}`, p, '--format=json'], parseJson<{ type?: string; locationId?: string }>);
  if (db.kind === 'found') {
    if (db.value.type && db.value.type !== 'FIRESTORE_NATIVE') {
      throw new DeployError(`the project's ${names.database} database is in ${db.value.type} mode; MovieHunter needs Firestore in native mode (use another project)`);
    }
    x.note(`there: ${db.value.type ?? 'FIRESTORE_NATIVE'} in ${db.value.locationId ?? '?'}`);
  } else {
    await x.run(['firestore', 'databases', 'create', `--database=${names.database}`, `--location=${options.firestoreLocation}`, '--type=firestore-native', p], { when: 'if missing' });
  }
}

export async function ensureFirestoreIndexes({ x, p, options, names, indexFile, shown }: DeployContext): Promise<void> {
  x.note(`${indexFile.indexes.length} composite indexes in ${shown(indexFile.path)}; creating one waits until it is built`);
  const listed = await x.look(['firestore', 'indexes', 'composite', 'list', `--database=${names.database}`, p, '--format=json'], parseJson<ListedIndex[]>);
  const missing = listed.kind === 'found' ? missingIndexes(indexFile.indexes, listed.value) : indexFile.indexes;
  if (missing.length === 0) x.note('all there');
  for (const index of missing) await x.run(createIndexArgs(index, options.project, names.database), { when: 'if missing' });
  if (indexFile.exemptions.length > 0) x.note(`${indexFile.exemptions.length} fields without single-field indexes (large values, never queried)`);
  for (const exemption of indexFile.exemptions) {
    const field = await x.look(
      ['firestore', 'indexes', 'fields', 'describe', exemption.field, `--collection-group=${exemption.collectionGroup}`, `--database=${names.database}`, p, '--format=json'],
      parseJson<Parameters<typeof isExempt>[0]>,
    );
    if (field.kind === 'found' && isExempt(field.value)) x.note(`${exemption.collectionGroup}.${exemption.field}: not indexed`);
    else await x.run(exemptionArgs(exemption, options.project, names.database), { when: 'if still indexed' });
  }
}

export async function ensureFirestoreTtl({ x, p, names, indexFile }: DeployContext): Promise<void> {
  for (const policy of indexFile.ttl) {
    const listed = await x.look(
      ['firestore', 'fields', 'ttls', 'list', `--collection-group=${policy.collectionGroup}`, `--database=${names.database}`, p, '--format=json'],
      parseJson<{ name?: string; ttlConfig?: { state?: string } }[]>,
    );
    const on =
      listed.kind === 'found' &&
      listed.value.some((f) => (f.name ?? '').endsWith(`/fields/${policy.field}`) && ['ACTIVE', 'CREATING'].includes(f.ttlConfig?.state ?? ''));
    if (on) x.note(`${policy.collectionGroup}.${policy.field} is the TTL field`);
    else {
      await x.run(
        ['firestore', 'fields', 'ttls', 'update', policy.field, `--collection-group=${policy.collectionGroup}`, `--database=${names.database}`, '--enable-ttl', '--async', p],
        { when: 'if not on' },
      );
    }
  }
}

export async function ensureBucket({ x, p, options, names }: DeployContext): Promise<void> {
  const bucket = await x.look(['storage', 'buckets', 'describe', names.bucketUrl, p, '--format=json'], parseJson<Record<string, unknown>>);
  if (bucket.kind === 'found') {
    const uniform = bucket.value.uniform_bucket_level_access ?? (bucket.value.iamConfiguration as { uniformBucketLevelAccess?: { enabled?: boolean } } | undefined)?.uniformBucketLevelAccess?.enabled;
    x.note(`there, in ${typeof bucket.value.location === 'string' ? bucket.value.location : '?'}`);
    if (uniform !== true) await x.run(['storage', 'buckets', 'update', names.bucketUrl, '--uniform-bucket-level-access', p]);
  } else {
    await x.run(['storage', 'buckets', 'create', names.bucketUrl, p, `--location=${options.region}`, '--uniform-bucket-level-access', '--public-access-prevention'], { when: 'if missing' });
  }
}

export async function ensurePrivateGoogleAccess({ x, p, options }: DeployContext): Promise<void> {
  const subnet = await x.look(['compute', 'networks', 'subnets', 'describe', options.subnet, `--region=${options.region}`, p, '--format=json'], parseJson<{ privateIpGoogleAccess?: boolean }>);
  if (subnet.kind === 'missing') {
    throw new DeployError(`subnetwork ${options.subnet} is not in ${options.region}: Dataproc needs one (create the default VPC network, or pass --subnet)`);
  }
  if (subnet.kind === 'found' && subnet.value.privateIpGoogleAccess) x.note('Private Google Access is on');
  else await x.run(['compute', 'networks', 'subnets', 'update', options.subnet, `--region=${options.region}`, '--enable-private-ip-google-access', p], { when: 'if Private Google Access is off' });
}

export async function ensureServiceAccounts({ x, p, names }: DeployContext): Promise<void> {
  const { app, tick, invoker, dataproc } = names.accounts;
  for (const account of [app, tick, invoker, dataproc]) await ensureServiceAccount(x, account, p);
}

export async function ensureIamBindings({ x, p, options, names, bindings }: DeployContext): Promise<void> {
  await ensureBindings(x, bindings.project, ['projects', 'get-iam-policy', options.project, '--format=json'], (b) => [
    'projects',
    'add-iam-policy-binding',
    options.project,
    `--member=${b.member}`,
    `--role=${b.role}`,
    '--condition=None',
    '--quiet',
  ]);
  await ensureBindings(x, bindings.bucket, ['storage', 'buckets', 'get-iam-policy', names.bucketUrl, p, '--format=json'], (b) => [
    'storage',
    'buckets',
    'add-iam-policy-binding',
    names.bucketUrl,
    `--member=${b.member}`,
    `--role=${b.role}`,
    p,
  ]);
  const dataprocSa = names.accounts.dataproc;
  await ensureBindings(x, bindings.dataprocAccount, ['iam', 'service-accounts', 'get-iam-policy', dataprocSa.email, p, '--format=json'], (b) => [
    'iam',
    'service-accounts',
    'add-iam-policy-binding',
    dataprocSa.email,
    `--member=${b.member}`,
    `--role=${b.role}`,
    p,
  ]);
}

export async function ensureSessionSecret({ x, p, names, bindings, dryRun, deps }: DeployContext): Promise<void> {
  const secret = await x.look(['secrets', 'describe', names.secret, p, '--format=json'], parseJson<unknown>);
  if (secret.kind === 'found') {
    x.note('there (its value is kept)');
  } else {
    x.note(`value: ${SECRET_SHOWN_AS}`);
    const value = dryRun ? undefined : (deps.randomSecret ?? (() => randomBytes(32).toString('base64url')))();
    if (value !== undefined && value.length < 32) throw new DeployError('the generated session secret is shorter than 32 characters');
    // The value goes on stdin only: never on a command line, in a file or in the output.
    await x.run(['secrets', 'create', names.secret, '--replication-policy=automatic', '--data-file=-', p], { when: 'if missing', ...(value !== undefined ? { input: value } : {}) });
  }
  await ensureBindings(x, bindings.secret, ['secrets', 'get-iam-policy', names.secret, p, '--format=json'], (b) => [
    'secrets',
    'add-iam-policy-binding',
    names.secret,
    `--member=${b.member}`,
    `--role=${b.role}`,
    p,
  ]);
}

async function ensureServiceAccount(x: Exec, account: ServiceAccount, p: string): Promise<void> {
  const found = await x.look(['iam', 'service-accounts', 'describe', account.email, p, '--format=json'], parseJson<unknown>);
  if (found.kind === 'found') x.note(`${account.email} is there`);
  else await x.run(['iam', 'service-accounts', 'create', account.id, `--display-name=${account.displayName}`, p], { when: 'if missing' });
}

async function ensureBindings(x: Exec, wanted: readonly Binding[], getPolicy: string[], add: (b: Binding) => string[]): Promise<void> {
  const policy = await x.look(getPolicy, parseJson<Policy>);
  const missing = policy.kind === 'found' ? missingBindings(wanted, policy.value) : wanted;
  for (const binding of wanted) {
    if (!missing.includes(binding)) x.note(`${binding.role} for ${binding.member}: there`);
  }
  for (const binding of missing) {
    x.note(`${binding.role} → ${binding.member.replace(/^serviceAccount:/, '')}: ${binding.why}`);
    await x.run(add(binding), { when: 'if missing', retryIf: (r: GcloudResult) => isUnknownAccount(r.stderr) });
  }
}
