/**
 * The whole set-up, step by step and in order: every step looks first and only creates or changes what is missing
 * (describe/get before create; "already exists" is fine), so a second run changes nothing but the code it deploys.
 * In a dry run the same steps print their commands and client calls instead of running them.
 */
import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { repoRoot as defaultRepoRoot } from '../../src/paths.js';
import { envVariablesOf, placeholdersOf, renderAppYaml, SECRET_SHOWN_AS } from './app-yaml.js';
import { spawnGcloud, type GcloudResult, type GcloudRunner } from './gcloud.js';
import { isUnknownAccount, missingBindings, wantedBindings, type Binding, type Policy } from './iam.js';
import { createIndexArgs, exemptionArgs, isExempt, missingIndexes, readIndexFile, type IndexFile, type ListedIndex } from './indexes.js';
import { deploymentNames, type DeploymentNames, type ServiceAccount } from './names.js';
import type { DeployOptions } from './options.js';
import { Exec, parseJson, parseLines, Reporter, type PlanEntry } from './plan.js';
import { ensureSchedulerJob, schedulerJob, type SchedulerApi } from './scheduler.js';
import {
  buildSparkZip,
  clearStagedSecret,
  ensureMovielens,
  md5Base64,
  missingBuildOutput,
  movielensFiles,
  movielensSource,
  sparkPackageFiles,
  stageApp,
  stageFunction,
  type LocalPaths,
  type MovielensSource,
} from './staging.js';

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

/** The steps in the order they run; each id names the entries it prints. */
export const STEPS = [
  ['apis', 'Enable the APIs'],
  ['app-engine', 'App Engine application'],
  ['firestore', 'Firestore database (native mode)'],
  ['firestore-indexes', 'Firestore indexes (composite, and fields left unindexed)'],
  ['firestore-ttl', 'Firestore TTL policy (sessions)'],
  ['bucket', 'Cloud Storage bucket'],
  ['network', 'Private Google Access for Dataproc'],
  ['service-accounts', 'Service accounts'],
  ['iam', 'IAM bindings'],
  ['secret', 'Session secret (Secret Manager)'],
  ['upload', 'Ratings and the Spark job in the bucket'],
  ['function', 'Tick function (Cloud Functions gen2)'],
  ['invoker', 'Who may call the tick function'],
  ['app', 'Web app (App Engine)'],
  ['scheduler', 'Cloud Scheduler job'],
] as const;

export type StepId = (typeof STEPS)[number][0];

/** The tick function's limits: a tick is a few store calls and API requests; one at a time (it holds a lease anyway). */
export const FUNCTION_TIMEOUT_SECONDS = 300;

export interface DeployDeps {
  /** Where the plan and progress go (stdout). */
  readonly out?: (line: string) => void;
  /** gcloud (real runs): the one on PATH unless given. */
  readonly gcloud?: GcloudRunner;
  /** Cloud Scheduler (real runs): a CloudSchedulerClient unless given. */
  readonly scheduler?: () => SchedulerApi;
  readonly paths?: Partial<LocalPaths>;
  readonly env?: NodeJS.ProcessEnv;
  /** Makes the session secret (32 random bytes, base64url, unless given). */
  readonly randomSecret?: () => string;
  /** Checks that the client libraries have credentials (real runs); Application Default Credentials unless given. */
  readonly checkCredentials?: () => Promise<void>;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly retryDelaysMs?: readonly number[];
}

export interface DeployResult {
  readonly entries: readonly PlanEntry[];
  readonly names: DeploymentNames;
  /** The app's address (real runs), else null. */
  readonly appUrl: string | null;
  readonly functionUrl: string;
}

/** A problem the deployment cannot go past: the message says what and what to do. */
export class DeployError extends Error {
  override name = 'DeployError';
}

export function defaultPaths(): LocalPaths {
  // This file is <dist>/scripts/deploy/deploy.js: the compiled output to deploy is two folders up.
  const distRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
  return { repoRoot: defaultRepoRoot, distRoot, outDir: join(defaultRepoRoot, 'artifacts', 'deploy') };
}

export async function deploy(options: DeployOptions, deps: DeployDeps = {}): Promise<DeployResult> {
  const out = deps.out ?? ((line: string) => process.stdout.write(`${line}\n`));
  const paths: LocalPaths = { ...defaultPaths(), ...deps.paths };
  const env = deps.env ?? process.env;
  const report = new Reporter(out);
  const dryRun = options.dryRun;
  const gcloud = dryRun ? null : (deps.gcloud ?? spawnGcloud());
  const x = new Exec({ dryRun, gcloud, report, ...(deps.sleep ? { sleep: deps.sleep } : {}), ...(deps.retryDelaysMs ? { retryDelaysMs: deps.retryDelaysMs } : {}) });
  const shown = (path: string) => {
    const rel = relative(process.cwd(), path);
    return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
  };

  // Everything local first: a missing file stops the run before anything in the cloud changes.
  const movielens = movielensSource(env, paths.repoRoot);
  const ratingsPath = `movielens/${movielens.name}/${movielens.ratingsFile}`;
  const names = deploymentNames(options, ratingsPath);
  const indexFile = readIndexFile(options.indexesFile ? resolve(options.indexesFile) : join(paths.repoRoot, 'src', 'store', 'firestore', 'firestore.indexes.json'));
  const template = readTemplate(paths);
  const sparkJob = join(paths.repoRoot, 'spark', 'als_job.py');
  if (!existsSync(sparkJob)) throw new DeployError(`${sparkJob} is missing: the Spark job`);
  const sparkFiles = sparkPackageFiles(paths.repoRoot);
  const missingBuild = missingBuildOutput(paths);
  const p = `--project=${options.project}`;
  const { app: appSa, tick: tickSa, invoker: invokerSa, dataproc: dataprocSa } = names.accounts;

  out(`MovieHunter on Google Cloud: project ${options.project}, region ${options.region}`);
  out(`  App Engine ${options.appEngineRegion} · Firestore ${options.firestoreLocation} · bucket ${names.bucketUrl} · Dataproc ${options.dataprocMode} · tick "${options.schedule}" (${options.timeZone})`);
  out(`  MovieLens: ${shown(movielens.dir)}${movielens.toDownload ? ' (downloaded first)' : ''} · indexes: ${shown(indexFile.path)} (${indexFile.indexes.length})`);
  if (dryRun) {
    out('Dry run: nothing runs and nothing changes. Each command and client call below is exactly what a real run does;');
    out('"check" lines look first, and lines marked "if missing" (and the like) only happen when the check says so.');
  }
  if (missingBuild.length > 0) {
    const what = `not built yet: ${missingBuild.map(shown).join(', ')} (scripts/deploy-gcp builds before deploying)`;
    if (!dryRun) throw new DeployError(what);
    x.note(what);
  }
  if (!dryRun) {
    await checkLoggedIn(gcloud!);
    await (deps.checkCredentials ?? checkApplicationDefaultCredentials)();
    if (movielens.toDownload) await ensureMovielens(movielens, (line) => x.note(line));
  }
  const shippedFiles = movielensFiles(movielens);

  let step = 0;
  const begin = (id: StepId) => {
    const [, title] = STEPS.find(([stepId]) => stepId === id)!;
    report.startStep(id, `[${++step}/${STEPS.length}] ${title}`);
  };

  // 1. APIs
  begin('apis');
  {
    const enabled = await x.look(['services', 'list', '--enabled', p, '--format=value(config.name)'], parseLines);
    const missing = enabled.kind === 'found' ? APIS.filter((api) => !enabled.value.includes(api)) : [...APIS];
    if (missing.length === 0) x.note('all enabled');
    else await x.run(['services', 'enable', ...missing, p], { when: 'those not enabled yet' });
  }

  // 2. App Engine
  begin('app-engine');
  {
    const app = await x.look(['app', 'describe', p, '--format=json'], parseJson<{ locationId?: string }>);
    if (app.kind === 'found') {
      x.note(`there, in ${app.value.locationId ?? 'its region'}${app.value.locationId && app.value.locationId !== options.appEngineRegion ? ` (not ${options.appEngineRegion}: an app cannot move; it stays)` : ''}`);
    } else {
      await x.run(['app', 'create', `--region=${options.appEngineRegion}`, p], { when: 'if missing' });
    }
  }

  // 3. Firestore database
  begin('firestore');
  {
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

  // 4. Composite indexes
  begin('firestore-indexes');
  {
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

  // 5. TTL
  begin('firestore-ttl');
  await ensureTtl(x, indexFile, names, p);

  // 6. Bucket
  begin('bucket');
  {
    const bucket = await x.look(['storage', 'buckets', 'describe', names.bucketUrl, p, '--format=json'], parseJson<Record<string, unknown>>);
    if (bucket.kind === 'found') {
      const uniform = bucket.value.uniform_bucket_level_access ?? (bucket.value.iamConfiguration as { uniformBucketLevelAccess?: { enabled?: boolean } } | undefined)?.uniformBucketLevelAccess?.enabled;
      x.note(`there, in ${String(bucket.value.location ?? '?')}`);
      if (uniform !== true) await x.run(['storage', 'buckets', 'update', names.bucketUrl, '--uniform-bucket-level-access', p]);
    } else {
      await x.run(['storage', 'buckets', 'create', names.bucketUrl, p, `--location=${options.region}`, '--uniform-bucket-level-access', '--public-access-prevention'], { when: 'if missing' });
    }
  }

  // 7. Network
  begin('network');
  {
    const subnet = await x.look(['compute', 'networks', 'subnets', 'describe', options.subnet, `--region=${options.region}`, p, '--format=json'], parseJson<{ privateIpGoogleAccess?: boolean }>);
    if (subnet.kind === 'missing') {
      throw new DeployError(`subnetwork ${options.subnet} is not in ${options.region}: Dataproc needs one (create the default VPC network, or pass --subnet)`);
    }
    if (subnet.kind === 'found' && subnet.value.privateIpGoogleAccess) x.note('Private Google Access is on');
    else await x.run(['compute', 'networks', 'subnets', 'update', options.subnet, `--region=${options.region}`, '--enable-private-ip-google-access', p], { when: 'if Private Google Access is off' });
  }

  // 8. Service accounts
  begin('service-accounts');
  for (const account of [appSa, tickSa, invokerSa, dataprocSa]) await ensureServiceAccount(x, account, p);

  // 9. IAM
  begin('iam');
  const bindings = wantedBindings(names);
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
  await ensureBindings(x, bindings.dataprocAccount, ['iam', 'service-accounts', 'get-iam-policy', dataprocSa.email, p, '--format=json'], (b) => [
    'iam',
    'service-accounts',
    'add-iam-policy-binding',
    dataprocSa.email,
    `--member=${b.member}`,
    `--role=${b.role}`,
    p,
  ]);

  // 10. Secret
  begin('secret');
  {
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

  // 11. Uploads
  begin('upload');
  {
    const zipPath = join(paths.outDir, 'moviehunter_als.zip');
    x.file(shown(zipPath), `a zip of ${sparkFiles.map((f) => relative(paths.repoRoot, f)).join(', ')}`);
    if (!dryRun) await buildSparkZip(paths.repoRoot, zipPath);
    await ensureUploaded(x, join(movielens.dir, movielens.ratingsFile), names.locations.ratings, shown);
    await ensureUploaded(x, sparkJob, names.locations.job, shown);
    await ensureUploaded(x, zipPath, names.locations.jobPackage, shown);
  }

  // 12. Function
  begin('function');
  let functionUrl = names.functionUrl;
  {
    const dir = join(paths.outDir, 'function');
    x.file(shown(dir), 'dist/src, dist/jobs, package.json (main: dist/jobs/index.js, no build step), package-lock.json');
    if (!dryRun) await stageFunction(paths);
    const existing = await x.look(['functions', 'describe', names.functionName, '--gen2', `--region=${options.region}`, p, '--format=json'], parseJson<{ url?: string }>);
    if (existing.kind === 'found' && existing.value.url) functionUrl = existing.value.url;
    const deployArgs = (url: string) => functionDeployArgs(options, names, shown(dir), url);
    x.note(`its address, the OIDC audience (TICK_AUDIENCE) and the scheduler's target: ${functionUrl}`);
    await x.run(deployArgs(functionUrl), { when: 'creates or updates' });
    if (!dryRun) {
      const deployed = await x.look(['functions', 'describe', names.functionName, '--gen2', `--region=${options.region}`, p, '--format=value(url)'], (s) => s.trim());
      const actual = deployed.kind === 'found' ? deployed.value : '';
      if (actual && actual !== functionUrl) {
        x.note(`its address is ${actual}: deploying again with that audience`);
        functionUrl = actual;
        await x.run(deployArgs(functionUrl));
      }
    }
  }

  // 13. Invoker
  begin('invoker');
  {
    const member = `serviceAccount:${invokerSa.email}`;
    const policy = await x.look(['run', 'services', 'get-iam-policy', names.functionName, `--region=${options.region}`, p, '--format=json'], parseJson<Policy>);
    const invoker: Binding = { member, role: 'roles/run.invoker', why: 'Cloud Scheduler calls the function as this account' };
    if (policy.kind === 'found' && missingBindings([invoker], policy.value).length === 0) x.note(`${invokerSa.email} may invoke it (roles/run.invoker)`);
    else {
      await x.run(['functions', 'add-invoker-policy-binding', names.functionName, `--region=${options.region}`, `--member=${member}`, p], {
        when: 'if missing (roles/run.invoker on the function\'s Cloud Run service)',
        retryIf: (r) => isUnknownAccount(r.stderr),
      });
    }
  }

  // 14. App
  begin('app');
  let appUrl: string | null = null;
  {
    const dir = join(paths.outDir, 'app');
    const values = appYamlValues(options, names, movielens, ratingsPath);
    // App Engine standard has no secret references: the value goes into the staged app.yaml for the deploy only.
    const read = await x.look(['secrets', 'versions', 'access', 'latest', `--secret=${names.secret}`, p], (s) => s.replace(/\r?\n$/, ''));
    x.note('its output goes into the staged app.yaml for the deploy only, and is never printed');
    let secret: string | undefined;
    if (!dryRun) {
      if (read.kind !== 'found' || read.value.length < 32) {
        throw new DeployError(`secret ${names.secret} has no usable version (32+ characters); add one with: gcloud secrets versions add ${names.secret} --data-file=-`);
      }
      secret = read.value;
    }
    const shownYaml = renderAppYaml(template, { ...values, SESSION_SECRET: SECRET_SHOWN_AS });
    x.file(shown(dir), `dist/src, views, package.json (no build step), package-lock.json, movielens/${movielens.name}/ (${shippedFiles.map((f) => f.name).join(', ')}), .gcloudignore`);
    x.file(`${shown(join(dir, 'app.yaml'))}`, `from app.yaml; its environment:\n${Object.entries(envVariablesOf(shownYaml)).map(([k, v]) => `${k}=${v}`).join('\n')}`);
    const appYamlPath = join(dir, 'app.yaml');
    if (!dryRun) {
      await stageApp({ paths, movielens, appYaml: renderAppYaml(template, { ...values, SESSION_SECRET: secret! }) });
    }
    try {
      await x.run(['app', 'deploy', shown(appYamlPath), p, '--promote', '--stop-previous-version', '--quiet'], { when: 'a new version, every time' });
    } finally {
      if (!dryRun) await clearStagedSecret(appYamlPath, secret!, SECRET_SHOWN_AS);
    }
    const host = await x.look(['app', 'describe', p, '--format=value(defaultHostname)'], (s) => s.trim());
    if (host.kind === 'found' && host.value) appUrl = `https://${host.value}`;
  }

  // 15. Scheduler
  begin('scheduler');
  {
    const job = schedulerJob({
      name: names.schedulerJob,
      schedule: options.schedule,
      timeZone: options.timeZone,
      functionUrl,
      invokerEmail: invokerSa.email,
      deadlineSeconds: FUNCTION_TIMEOUT_SECONDS,
    });
    const factory = deps.scheduler ?? realScheduler;
    let client = null as SchedulerApi | null;
    const api = dryRun ? null : () => (client ??= factory());
    try {
      await ensureSchedulerJob(x, api, names.schedulerParent, job);
    } finally {
      await client?.close?.();
    }
  }

  out('');
  out(dryRun ? 'Dry run done: nothing was changed.' : 'Done.');
  out(`  web app:       ${appUrl ?? `https://${options.project}.<region code>.r.appspot.com (gcloud app browse ${p})`}`);
  out(`  tick function: ${functionUrl} (only Cloud Scheduler, as ${invokerSa.email}, may call it)`);
  out(`  first model:   the first tick trains it; to start now: gcloud scheduler jobs run ${names.schedulerJob.split('/').pop()} --location=${options.region} ${p}`);
  return { entries: report.entries, names, appUrl, functionUrl };
}

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

function readTemplate(paths: LocalPaths): string {
  const file = join(paths.repoRoot, 'app.yaml');
  if (!existsSync(file)) throw new DeployError(`${file} is missing: the App Engine template`);
  const template = readFileSync(file, 'utf8');
  const known = new Set(['APP_SERVICE_ACCOUNT', 'MOVIELENS_DIR', 'PROJECT_ID', 'BUCKET', 'GCS_RATINGS_PATH', 'REGION', 'DATAPROC_MODE', 'SESSION_SECRET']);
  const unknown = placeholdersOf(template).filter((name) => !known.has(name));
  if (unknown.length > 0) throw new DeployError(`app.yaml asks for ${unknown.map((n) => `{{${n}}}`).join(', ')}, which the deploy script does not know`);
  return template;
}

function relativeToBucket(url: string, bucketUrl: string): string {
  return url.startsWith(`${bucketUrl}/`) ? url.slice(bucketUrl.length + 1) : url;
}

async function ensureTtl(x: Exec, indexFile: IndexFile, names: DeploymentNames, p: string): Promise<void> {
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

async function ensureUploaded(x: Exec, local: string, url: string, shown: (path: string) => string): Promise<void> {
  const object = await x.look(['storage', 'objects', 'describe', url, '--format=json'], parseJson<Record<string, unknown>>);
  if (object.kind === 'found') {
    const remote = object.value.md5_hash ?? object.value.md5Hash;
    if (existsSync(local) && remote === md5Base64(local)) {
      x.note(`${url} is up to date`);
      return;
    }
  }
  await x.run(['storage', 'cp', shown(local), url], { when: 'if missing or different' });
}

async function checkLoggedIn(gcloud: GcloudRunner): Promise<void> {
  const result = await gcloud(['auth', 'list', '--filter=status:ACTIVE', '--format=value(account)']);
  if (result.code !== 0 || result.stdout.trim() === '') throw new DeployError('gcloud is not logged in: run `gcloud auth login` (or try --dry-run)');
}

async function checkApplicationDefaultCredentials(): Promise<void> {
  const { GoogleAuth } = await import('google-auth-library');
  try {
    await new GoogleAuth({ scopes: ['https://www.googleapis.com/auth/cloud-platform'] }).getClient();
  } catch {
    throw new DeployError('no Application Default Credentials for the Cloud Scheduler client: run `gcloud auth application-default login`');
  }
}

function realScheduler(): SchedulerApi {
  let client: import('@google-cloud/scheduler').CloudSchedulerClient | null = null;
  const get = async () => {
    if (!client) {
      const { CloudSchedulerClient } = await import('@google-cloud/scheduler');
      client = new CloudSchedulerClient();
    }
    return client;
  };
  return {
    getJob: async (request) => (await (await get()).getJob(request))[0],
    createJob: async (request) => (await (await get()).createJob(request))[0],
    updateJob: async (request) => (await (await get()).updateJob(request))[0],
    close: async () => {
      await client?.close();
    },
  };
}
