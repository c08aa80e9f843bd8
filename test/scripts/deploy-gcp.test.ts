/**
 * scripts/deploy-gcp: the dry-run plan (every step, in an order that works, commands that match the index file and
 * the scheduler request), a real run against a stand-in for gcloud and Cloud Scheduler (idempotent, the session secret
 * only ever on stdin), and the compiled script as a child process (exit codes, one-line errors).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { envVariablesOf, renderAppYaml, SECRET_SHOWN_AS } from '../../scripts/deploy/app-yaml.js';
import { APIS, appYamlValues, deploy, functionEnv, STEPS, type DeployDeps } from '../../scripts/deploy/deploy.js';
import type { GcloudOptions, GcloudResult } from '../../scripts/deploy/gcloud.js';
import { parseIndexFile, readIndexFile, type IndexFile } from '../../scripts/deploy/indexes.js';
import { checkCron, parseDeployArgs, tickIntervalSeconds, UsageError, type DeployOptions } from '../../scripts/deploy/options.js';
import type { PlanEntry } from '../../scripts/deploy/plan.js';
import type { SchedulerApi, SchedulerJob } from '../../scripts/deploy/scheduler.js';
import { repoRoot } from '../../src/paths.js';
import { loadConfig } from '../../src/config.js';
import { deploymentNames } from '../../scripts/deploy/names.js';

const here = dirname(fileURLToPath(import.meta.url));
/** The compiled output these tests run from (dist/ or another --outDir): the script and the code it deploys. */
const distRoot = resolve(here, '..', '..');
const script = join(distRoot, 'scripts', 'deploy-gcp.js');
const realIndexFile = join(repoRoot, 'src', 'store', 'firestore', 'firestore.indexes.json');

const PROJECT = 'movie-hunter-demo';
const REGION = 'europe-west1';
const FUNCTION_URL = `https://${REGION}-${PROJECT}.cloudfunctions.net/moviehunter-tick`;
const INVOKER = `moviehunter-scheduler@${PROJECT}.iam.gserviceaccount.com`;

/** A sample index file in the adapter's format (the tests do not depend on the adapter's current one). */
const SAMPLE_INDEXES = {
  indexes: [
    { collectionGroup: 'users', queryScope: 'COLLECTION', fields: [{ fieldPath: 'state', order: 'ASCENDING' }, { fieldPath: 'stateUpdatedAt', order: 'ASCENDING' }] },
    { collectionGroup: 'runs', queryScope: 'COLLECTION', fields: [{ fieldPath: 'outcome', order: 'ASCENDING' }, { fieldPath: 'createdAt', order: 'DESCENDING' }] },
    { collectionGroup: 'events', queryScope: 'COLLECTION_GROUP', fields: [{ fieldPath: 'tags', arrayConfig: 'CONTAINS' }, { fieldPath: 'at', order: 'ASCENDING' }] },
  ],
  fieldOverrides: [
    { collectionGroup: 'sessions', fieldPath: 'expireAt', ttl: true, indexes: [] },
    { collectionGroup: 'users', fieldPath: 'picks', indexes: [] },
  ],
};

const work = mkdtempSync(join(tmpdir(), 'deploy-gcp-test-'));
process.on('exit', () => rmSync(work, { recursive: true, force: true }));
const sampleIndexFile = join(work, 'firestore.indexes.json');
writeFileSync(sampleIndexFile, JSON.stringify(SAMPLE_INDEXES, null, 2));

/** A tiny MovieLens folder, so no test depends on (or downloads) the real one. */
const movielens = join(work, 'ml-tiny');
mkdirSync(movielens);
writeFileSync(join(movielens, 'movies.csv'), 'movieId,title,genres\n1,Toy Story (1995),Animation|Children\n2,Heat (1995),Action\n');
writeFileSync(join(movielens, 'links.csv'), 'movieId,imdbId,tmdbId\n1,0114709,862\n2,0113277,949\n');
writeFileSync(join(movielens, 'ratings.csv'), 'userId,movieId,rating,timestamp\n1,1,4.0,964982703\n1,2,5.0,964981247\n2,1,3.5,964982224\n');

function options(...extra: string[]): DeployOptions {
  const parsed = parseDeployArgs(['--project', PROJECT, '--region', REGION, '--indexes', sampleIndexFile, ...extra]);
  assert.equal(parsed.help, false);
  return (parsed as { options: DeployOptions }).options;
}

async function plan(extra: string[] = [], deps: DeployDeps = {}): Promise<{ entries: readonly PlanEntry[]; text: string }> {
  const lines: string[] = [];
  const result = await deploy(options('--dry-run', ...extra), {
    out: (line) => lines.push(line),
    env: { MOVIELENS_DIR: movielens },
    paths: { outDir: join(work, 'dry-out') },
    ...deps,
  });
  return { entries: result.entries, text: lines.join('\n') };
}

const gcloudRuns = (entries: readonly PlanEntry[]) => entries.filter((e) => e.kind === 'run').map((e) => e.argv!);
const startsWith = (argv: readonly string[], ...prefix: string[]) => prefix.every((word, i) => argv[i] === word);
const flag = (argv: readonly string[], name: string) => argv.find((a) => a.startsWith(`${name}=`))?.slice(name.length + 1);
function lastIndex<T>(list: readonly T[], match: (item: T) => boolean): number {
  for (let i = list.length - 1; i >= 0; i--) if (match(list[i])) return i;
  return -1;
}

/** Index in the plan of the first entry matching, or a failure naming what is missing. */
function at(entries: readonly PlanEntry[], what: string, match: (e: PlanEntry) => boolean): number {
  const i = entries.findIndex(match);
  assert.notEqual(i, -1, `the plan has no ${what}`);
  return i;
}

test('the dry-run plan has every step, in order, each with the commands it needs', async () => {
  const { entries, text } = await plan();
  assert.deepEqual(entries.filter((e) => e.kind === 'step').map((e) => e.step), STEPS.map(([id]) => id));
  for (const [i, [id]] of STEPS.entries()) assert.match(text, new RegExp(`\\[${i + 1}/${STEPS.length}\\] `), id);

  const runs = gcloudRuns(entries);
  const enable = runs.find((a) => startsWith(a, 'services', 'enable'))!;
  for (const api of ['appengine', 'firestore', 'storage', 'dataproc', 'cloudscheduler', 'cloudfunctions', 'run', 'cloudbuild', 'artifactregistry', 'secretmanager', 'iam']) {
    assert.ok(enable.includes(`${api}.googleapis.com`), `${api} is enabled`);
  }
  assert.deepEqual(new Set(enable.filter((a) => a.endsWith('.googleapis.com'))), new Set(APIS));
  assert.ok(runs.some((a) => startsWith(a, 'app', 'create') && a.includes('--region=europe-west')));
  assert.ok(runs.some((a) => startsWith(a, 'firestore', 'databases', 'create') && a.includes('--type=firestore-native') && a.includes(`--location=${REGION}`)));
  assert.ok(runs.some((a) => startsWith(a, 'firestore', 'fields', 'ttls', 'update', 'expireAt') && a.includes('--collection-group=sessions') && a.includes('--enable-ttl')));
  const bucket = runs.find((a) => startsWith(a, 'storage', 'buckets', 'create'))!;
  assert.deepEqual([bucket[3], flag(bucket, '--location'), bucket.includes('--uniform-bucket-level-access')], [`gs://${PROJECT}-moviehunter`, REGION, true]);
  const accounts = runs.filter((a) => startsWith(a, 'iam', 'service-accounts', 'create')).map((a) => a[3]);
  assert.deepEqual(accounts, ['moviehunter-app', 'moviehunter-tick', 'moviehunter-scheduler', 'moviehunter-dataproc']);
  const roles = runs.filter((a) => a.includes('add-iam-policy-binding')).map((a) => `${flag(a, '--member')?.split(/[:@]/)[1]} ${flag(a, '--role')}`);
  for (const wanted of [
    'moviehunter-app roles/datastore.user',
    'moviehunter-tick roles/datastore.user',
    'moviehunter-tick roles/dataproc.editor',
    'moviehunter-dataproc roles/dataproc.worker',
    'moviehunter-dataproc roles/storage.objectAdmin',
    'moviehunter-tick roles/iam.serviceAccountUser',
    'moviehunter-tick roles/secretmanager.secretAccessor',
  ]) {
    assert.ok(roles.includes(wanted), `binding ${wanted}`);
  }
  const secret = runs.find((a) => startsWith(a, 'secrets', 'create'))!;
  assert.ok(secret.includes('--data-file=-'), 'the secret goes on stdin');
  const uploads = runs.filter((a) => startsWith(a, 'storage', 'cp')).map((a) => a[3]);
  assert.deepEqual(uploads, [
    `gs://${PROJECT}-moviehunter/movielens/ml-tiny/ratings.csv`,
    `gs://${PROJECT}-moviehunter/spark/als_job.py`,
    `gs://${PROJECT}-moviehunter/spark/moviehunter_als.zip`,
  ]);

  const fn = runs.find((a) => startsWith(a, 'functions', 'deploy'))!;
  for (const wanted of ['--gen2', '--runtime=nodejs20', '--entry-point=tick', '--trigger-http', '--no-allow-unauthenticated', `--service-account=moviehunter-tick@${PROJECT}.iam.gserviceaccount.com`]) {
    assert.ok(fn.includes(wanted), `functions deploy ${wanted}`);
  }
  const env = Object.fromEntries(flag(fn, '--set-env-vars')!.split(',').map((pair) => pair.split(/=(.*)/s).slice(0, 2)));
  assert.equal(env.TICK_AUDIENCE, FUNCTION_URL);
  assert.equal(env.TICK_INVOKER, INVOKER);
  assert.equal(env.STORE, 'firestore');
  assert.equal(env.ENGINE, 'dataproc');
  assert.equal(env.GCS_RATINGS_PATH, 'movielens/ml-tiny/ratings.csv');
  assert.ok(Number(env.RUN_TIMEOUT_SECONDS) > 15 * 60, 'a run outlives the time between two ticks');
  assert.equal(flag(fn, '--set-secrets'), 'SESSION_SECRET=moviehunter-session-secret:latest');
  const invoker = runs.find((a) => startsWith(a, 'functions', 'add-invoker-policy-binding'))!;
  assert.equal(flag(invoker, '--member'), `serviceAccount:${INVOKER}`);
  assert.ok(runs.some((a) => startsWith(a, 'app', 'deploy') && a[2].endsWith(join('app', 'app.yaml'))));

  // An order that works: each action after what it needs.
  const run = (what: string, ...prefix: string[]) => at(entries, what, (e) => e.kind === 'run' && startsWith(e.argv!, ...prefix));
  const call = (method: string) => at(entries, method, (e) => e.kind === 'call' && e.method === method);
  const before = (a: number, b: number, why: string) => assert.ok(a < b, why);
  const apis = run('services enable', 'services', 'enable');
  for (const [what, i] of [
    ['app create', run('app create', 'app', 'create')],
    ['database', run('database', 'firestore', 'databases', 'create')],
    ['bucket', run('bucket', 'storage', 'buckets', 'create')],
    ['accounts', run('accounts', 'iam', 'service-accounts', 'create')],
  ] as const) {
    before(apis, i, `APIs before ${what}`);
  }
  before(run('database', 'firestore', 'databases', 'create'), run('index', 'firestore', 'indexes', 'composite', 'create'), 'database before its indexes');
  before(run('database', 'firestore', 'databases', 'create'), run('ttl', 'firestore', 'fields', 'ttls', 'update'), 'database before the TTL');
  before(run('bucket', 'storage', 'buckets', 'create'), run('upload', 'storage', 'cp'), 'bucket before uploads');
  const lastAccount = lastIndex(entries, (e) => e.kind === 'run' && startsWith(e.argv!, 'iam', 'service-accounts', 'create'));
  before(lastAccount, run('binding', 'projects', 'add-iam-policy-binding'), 'accounts before their bindings');
  const deployFn = run('function deploy', 'functions', 'deploy');
  before(run('secret', 'secrets', 'create'), deployFn, 'secret before the function that mounts it');
  before(run('secret access', 'secrets', 'add-iam-policy-binding'), deployFn, 'secret access before the function');
  before(lastIndex(entries, (e) => e.kind === 'run' && startsWith(e.argv!, 'storage', 'cp')), deployFn, 'ratings and job before a tick can run');
  before(deployFn, run('invoker', 'functions', 'add-invoker-policy-binding'), 'function before its invoker binding');
  before(run('index', 'firestore', 'indexes', 'composite', 'create'), run('app deploy', 'app', 'deploy'), 'indexes before the app queries');
  before(run('invoker', 'functions', 'add-invoker-policy-binding'), call('CloudSchedulerClient.createJob'), 'invoker before the scheduler calls');
  before(call('CloudSchedulerClient.getJob'), call('CloudSchedulerClient.updateJob'), 'getJob first');
  before(call('CloudSchedulerClient.getJob'), call('CloudSchedulerClient.createJob'), 'getJob first');

  // Each action follows a check of what is there.
  for (const prefix of [['app', 'create'], ['firestore', 'databases', 'create'], ['storage', 'buckets', 'create'], ['secrets', 'create']]) {
    const i = run(prefix.join(' '), ...prefix);
    assert.equal(entries[i - 1]?.kind === 'check' || entries[i - 2]?.kind === 'check', true, `${prefix.join(' ')} follows a check`);
    assert.match(entries[i].when ?? '', /if missing/);
  }
  assert.match(text, /^Dry run done: nothing was changed\.$/m);
});

function expectedIndexCommands(file: { indexes: { collectionGroup: string; queryScope?: string; fields: { fieldPath: string; order?: string; arrayConfig?: string }[] }[] }) {
  return file.indexes.map((index) => ({
    collectionGroup: index.collectionGroup,
    queryScope: (index.queryScope ?? 'COLLECTION').toLowerCase().replace('_', '-'),
    fields: index.fields.map((f) => `field-path=${f.fieldPath},${f.order ? `order=${f.order.toLowerCase()}` : `array-config=${f.arrayConfig!.toLowerCase()}`}`),
  }));
}

function plannedIndexCommands(entries: readonly PlanEntry[]) {
  return gcloudRuns(entries)
    .filter((a) => startsWith(a, 'firestore', 'indexes', 'composite', 'create'))
    .map((a) => {
      assert.equal(flag(a, '--database'), '(default)');
      assert.equal(flag(a, '--project'), PROJECT);
      return { collectionGroup: flag(a, '--collection-group'), queryScope: flag(a, '--query-scope'), fields: a.filter((x) => x.startsWith('--field-config=')).map((x) => x.slice('--field-config='.length)) };
    });
}

test('the index commands match firestore.indexes.json, field for field and in order', async () => {
  const { entries } = await plan();
  assert.deepEqual(plannedIndexCommands(entries), expectedIndexCommands(SAMPLE_INDEXES));
  const exempt = gcloudRuns(entries).filter((a) => startsWith(a, 'firestore', 'indexes', 'fields', 'update'));
  assert.deepEqual(exempt.map((a) => [a[4], flag(a, '--collection-group'), a.includes('--disable-indexes')]), [['expireAt', 'sessions', true], ['picks', 'users', true]]);

  // The adapter's own file, when it is there.
  if (existsSync(realIndexFile)) {
    const real = await plan(['--indexes', realIndexFile]);
    assert.deepEqual(plannedIndexCommands(real.entries), expectedIndexCommands(JSON.parse(readFileSync(realIndexFile, 'utf8'))));
    const file: IndexFile = readIndexFile(realIndexFile);
    assert.ok(file.ttl.some((t) => t.collectionGroup === 'sessions' && t.field === 'expireAt'), 'the sessions TTL');
  }
});

test('a bad or missing index file stops the run before any command', async () => {
  assert.throws(() => parseIndexFile('x.json', { indexes: [{ collectionGroup: 'users', fields: [{ fieldPath: 'a' }, { fieldPath: 'b', order: 'ASCENDING' }] }] }), /x\.json: indexes\[0\]\.fields\[0\] needs exactly one of order and arrayConfig/);
  assert.throws(() => parseIndexFile('x.json', { indexes: [], fieldOverrides: [{ collectionGroup: 'u', fieldPath: 'f', indexes: [{ order: 'ASCENDING', queryScope: 'COLLECTION' }] }] }), /only \[\]/);
  const lines: string[] = [];
  await assert.rejects(
    deploy({ ...options('--dry-run'), indexesFile: join(work, 'nope.json') }, { out: (l) => lines.push(l), env: { MOVIELENS_DIR: movielens } }),
    /nope\.json is missing: the Firestore adapter's composite indexes are needed/,
  );
  assert.equal(lines.length, 0, 'nothing printed before the error');
});

test('the scheduler request: the schedule, POST to the function URL, OIDC as the invoker for that audience', async () => {
  const { entries } = await plan(['--schedule', '*/5 * * * *', '--time-zone', 'Europe/Paris']);
  const create = entries.find((e) => e.method === 'CloudSchedulerClient.createJob')!.request as { parent: string; job: SchedulerJob };
  assert.equal(create.parent, `projects/${PROJECT}/locations/${REGION}`);
  assert.equal(create.job.name, `projects/${PROJECT}/locations/${REGION}/jobs/moviehunter-tick`);
  assert.equal(create.job.schedule, '*/5 * * * *');
  assert.equal(create.job.timeZone, 'Europe/Paris');
  assert.deepEqual(create.job.httpTarget, { uri: FUNCTION_URL, httpMethod: 'POST', oidcToken: { serviceAccountEmail: INVOKER, audience: FUNCTION_URL } });
  const update = entries.find((e) => e.method === 'CloudSchedulerClient.updateJob')!.request as { job: SchedulerJob; updateMask: { paths: string[] } };
  assert.deepEqual(update.job, create.job);
  assert.ok(update.updateMask.paths.includes('schedule') && update.updateMask.paths.includes('http_target'));
  assert.deepEqual(entries.find((e) => e.method === 'CloudSchedulerClient.getJob')!.request, { name: create.job.name });
  // Printed in full, so the dry run shows the request itself.
  const printed = entries.find((e) => e.method === 'CloudSchedulerClient.createJob')!.text;
  assert.deepEqual(JSON.parse(printed.slice(printed.indexOf('{'))), create);
});

test('options: defaults, and one clear message for each mistake', () => {
  const o = options();
  assert.deepEqual([o.bucket, o.dataprocMode, o.schedule, o.appEngineRegion, o.firestoreLocation, o.dryRun], [`${PROJECT}-moviehunter`, 'serverless', '*/15 * * * *', 'europe-west', REGION, false]);
  assert.equal(parseDeployArgs(['--project', PROJECT, '--region', 'us-central1']).help, false);
  assert.deepEqual(parseDeployArgs(['--help']), { help: true });
  for (const [args, message] of [
    [[], /^--project is required/],
    [['--project', PROJECT], /^--region is required/],
    [['--project', 'X', '--region', REGION], /^--project "X" is not a project id/],
    [['--project', PROJECT, '--region', 'europe'], /^--region "europe" is not a region/],
    [['--project', PROJECT, '--region', REGION, '--dataproc-mode', 'gke'], /^--dataproc-mode must be serverless or cluster/],
    [['--project', PROJECT, '--region', REGION, '--schedule', 'every 15 minutes'], /^--schedule "every 15 minutes": a unix-cron schedule has 5 fields/],
    [['--project', PROJECT, '--region', REGION, '--schedule', '*/0 * * * *'], /bad step in the minute field/],
    [['--project', PROJECT, '--region', REGION, '--bucket', 'Bad_Bucket'], /^--bucket "Bad_Bucket"/],
    [['--project', PROJECT, '--region', REGION, '--colour', 'red'], /--colour/],
  ] as const) {
    assert.throws(() => parseDeployArgs(args), (err: Error) => err instanceof UsageError && message.test(err.message) && !err.message.includes('\n'), `${args.join(' ')}`);
  }
  assert.equal(checkCron('0 3 * * mon-fri'), null);
  assert.equal(checkCron('61 * * * *')?.startsWith('bad minute field'), true);
  assert.deepEqual([tickIntervalSeconds('*/15 * * * *'), tickIntervalSeconds('0 * * * *'), tickIntervalSeconds('0 */6 * * *'), tickIntervalSeconds('0 3 * * 1')], [900, 3600, 21_600, 86_400]);
});

test('app.yaml: every placeholder filled, the production settings, the secret only where it belongs', () => {
  const template = readFileSync(join(repoRoot, 'app.yaml'), 'utf8');
  assert.match(template, /^runtime: nodejs20$/m);
  assert.match(template, /^entrypoint: node dist\/src\/server\.js$/m);
  assert.match(template, /^automatic_scaling:\n(?:\s+.*\n)*?\s+max_instances: \d+/m);
  const values = {
    APP_SERVICE_ACCOUNT: `moviehunter-app@${PROJECT}.iam.gserviceaccount.com`,
    MOVIELENS_DIR: 'movielens/ml-latest-small',
    PROJECT_ID: PROJECT,
    BUCKET: 'b',
    GCS_RATINGS_PATH: 'movielens/ml-latest-small/ratings.csv',
    REGION,
    DATAPROC_MODE: 'serverless',
    SESSION_SECRET: 's'.repeat(43),
  };
  const yaml = renderAppYaml(template, values);
  assert.doesNotMatch(yaml.split('\n').filter((l) => !l.trimStart().startsWith('#')).join('\n'), /\{\{/);
  const env = envVariablesOf(yaml);
  assert.deepEqual(
    { NODE_ENV: env.NODE_ENV, STORE: env.STORE, ENGINE: env.ENGINE, DATA_DIR: env.DATA_DIR, TRUST_PROXY: env.TRUST_PROXY, MOVIELENS_DIR: env.MOVIELENS_DIR, SESSION_SECRET: env.SESSION_SECRET },
    { NODE_ENV: 'production', STORE: 'firestore', ENGINE: 'dataproc', DATA_DIR: '/tmp/moviehunter', TRUST_PROXY: '1', MOVIELENS_DIR: 'movielens/ml-latest-small', SESSION_SECRET: 's'.repeat(43) },
  );
  assert.throws(() => renderAppYaml(template, { ...values, BUCKET: undefined as unknown as string }), /no value for \{\{BUCKET\}\}/);
});

test('the environments the script gives the app and the function pass the app\'s own config checks', () => {
  for (const mode of ['serverless', 'cluster']) {
    const o = options('--dataproc-mode', mode, '--schedule', '0 * * * *');
    const names = deploymentNames(o, 'movielens/ml-tiny/ratings.csv');
    const secret = { SESSION_SECRET: 'k'.repeat(43) };
    const fn = loadConfig({ ...functionEnv(o, names, FUNCTION_URL), ...secret });
    assert.deepEqual([fn.STORE, fn.ENGINE, fn.DATAPROC_MODE, fn.TICK_AUDIENCE, fn.TICK_INVOKER], ['firestore', 'dataproc', mode, FUNCTION_URL, INVOKER]);
    // Hourly ticks: a run may take several of them, and an idle cluster outlives the gap.
    assert.ok(fn.RUN_TIMEOUT_SECONDS >= 3 * 3600 && fn.DATAPROC_IDLE_DELETE_TTL_SECONDS > 3600);
    const source = { dir: movielens, name: 'ml-tiny', ratingsFile: 'ratings.csv', toDownload: false };
    const yaml = renderAppYaml(readFileSync(join(repoRoot, 'app.yaml'), 'utf8'), { ...appYamlValues(o, names, source, 'movielens/ml-tiny/ratings.csv'), ...secret });
    const app = loadConfig(envVariablesOf(yaml));
    assert.deepEqual([app.NODE_ENV, app.STORE, app.ENGINE, app.GCS_BUCKET, app.GCS_RATINGS_PATH, app.TRUST_PROXY], ['production', 'firestore', 'dataproc', `${PROJECT}-moviehunter`, 'movielens/ml-tiny/ratings.csv', 1]);
  }
});

/**
 * A stand-in for gcloud over a small model of the project: describes and lists answer from it, creates and updates
 * change it. Every call is kept (arguments and stdin) for the assertions.
 */
class FakeCloud {
  readonly calls: { args: readonly string[]; input: string | undefined }[] = [];
  apis = new Set<string>();
  app = false;
  database = false;
  indexes: unknown[] = [];
  exempt = new Set<string>();
  ttl = new Set<string>();
  bucket = false;
  subnetPrivateAccess = false;
  accounts = new Set<string>();
  policies = new Map<string, { role: string; members: string[] }[]>();
  secret: string | null = null;
  objects = new Map<string, string>();
  functionUrl: string | null = null;
  appYamlAtDeploy: string[] = [];
  deploys = 0;

  readonly gcloud = async (args: readonly string[], options: GcloudOptions = {}): Promise<GcloudResult> => {
    this.calls.push({ args: [...args], input: options.input });
    const ok = (stdout: unknown = '') => ({ code: 0, stdout: typeof stdout === 'string' ? stdout : JSON.stringify(stdout), stderr: '' });
    const notFound = { code: 1, stdout: '', stderr: 'ERROR: (gcloud) NOT_FOUND: not there' };
    const is = (...prefix: string[]) => startsWith(args, ...prefix);
    const policyKey = (...parts: string[]) => parts.join(' ');
    const bind = (key: string, role = flag(args, '--role')!) => {
      const list = this.policies.get(key) ?? [];
      const member = flag(args, '--member')!;
      const binding = list.find((b) => b.role === role) ?? list[list.push({ role, members: [] }) - 1];
      if (!binding.members.includes(member)) binding.members.push(member);
      this.policies.set(key, list);
      return ok();
    };
    const policy = (key: string) => ok({ bindings: this.policies.get(key) ?? [] });

    if (is('auth', 'list')) return ok('deployer@example.com\n');
    if (is('services', 'list')) return ok([...this.apis].join('\n'));
    if (is('services', 'enable')) return (args.filter((a) => a.endsWith('.googleapis.com')).forEach((a) => this.apis.add(a)), ok());
    if (is('app', 'describe')) return this.app ? (flag(args, '--format') === 'json' ? ok({ locationId: 'europe-west' }) : ok(`${PROJECT}.ew.r.appspot.com\n`)) : { code: 1, stdout: '', stderr: `ERROR: (gcloud.app.describe) The current Google Cloud project [${PROJECT}] does not contain an App Engine application.` };
    if (is('app', 'create')) return ((this.app = true), ok());
    if (is('firestore', 'databases', 'describe')) return this.database ? ok({ type: 'FIRESTORE_NATIVE', locationId: REGION }) : notFound;
    if (is('firestore', 'databases', 'create')) return ((this.database = true), ok());
    if (is('firestore', 'indexes', 'composite', 'list')) return ok(this.indexes);
    if (is('firestore', 'indexes', 'composite', 'create')) {
      const group = flag(args, '--collection-group');
      const fields = args.filter((a) => a.startsWith('--field-config=')).map((a) => {
        const spec = Object.fromEntries(a.slice('--field-config='.length).split(',').map((kv) => kv.split('=')));
        return spec.order ? { fieldPath: spec['field-path'], order: spec.order.toUpperCase() } : { fieldPath: spec['field-path'], arrayConfig: 'CONTAINS' };
      });
      const scope = flag(args, '--query-scope') === 'collection' ? 'COLLECTION' : 'COLLECTION_GROUP';
      this.indexes.push({ name: `projects/${PROJECT}/databases/(default)/collectionGroups/${group}/indexes/i${this.indexes.length}`, queryScope: scope, fields: [...fields, { fieldPath: '__name__', order: 'ASCENDING' }], state: 'READY' });
      return ok();
    }
    if (is('firestore', 'indexes', 'fields', 'describe')) {
      const key = `${flag(args, '--collection-group')}.${args[4]}`;
      return ok({ name: key, indexConfig: this.exempt.has(key) ? {} : { usesAncestorConfig: true, indexes: [{ order: 'ASCENDING' }] } });
    }
    if (is('firestore', 'indexes', 'fields', 'update')) return (this.exempt.add(`${flag(args, '--collection-group')}.${args[4]}`), ok());
    if (is('firestore', 'fields', 'ttls', 'list')) {
      const group = flag(args, '--collection-group');
      return ok([...this.ttl].filter((k) => k.startsWith(`${group}.`)).map((k) => ({ name: `projects/p/databases/(default)/collectionGroups/${group}/fields/${k.split('.')[1]}`, ttlConfig: { state: 'ACTIVE' } })));
    }
    if (is('firestore', 'fields', 'ttls', 'update')) return (this.ttl.add(`${flag(args, '--collection-group')}.${args[4]}`), ok());
    if (is('storage', 'buckets', 'describe')) return this.bucket ? ok({ location: 'EUROPE-WEST1', uniform_bucket_level_access: true }) : notFound;
    if (is('storage', 'buckets', 'create')) return ((this.bucket = true), ok());
    if (is('compute', 'networks', 'subnets', 'describe')) return ok({ privateIpGoogleAccess: this.subnetPrivateAccess });
    if (is('compute', 'networks', 'subnets', 'update')) return ((this.subnetPrivateAccess = true), ok());
    if (is('iam', 'service-accounts', 'describe')) return this.accounts.has(args[3]) ? ok({ email: args[3] }) : notFound;
    if (is('iam', 'service-accounts', 'create')) return (this.accounts.add(`${args[3]}@${PROJECT}.iam.gserviceaccount.com`), ok());
    if (is('projects', 'get-iam-policy')) return policy('project');
    if (is('projects', 'add-iam-policy-binding')) return bind('project');
    if (is('storage', 'buckets', 'get-iam-policy')) return policy('bucket');
    if (is('storage', 'buckets', 'add-iam-policy-binding')) return bind('bucket');
    if (is('iam', 'service-accounts', 'get-iam-policy')) return policy(policyKey('sa', args[3]));
    if (is('iam', 'service-accounts', 'add-iam-policy-binding')) return bind(policyKey('sa', args[3]));
    if (is('secrets', 'describe')) return this.secret !== null ? ok({ name: args[2] }) : notFound;
    if (is('secrets', 'create')) return ((this.secret = options.input ?? ''), ok());
    if (is('secrets', 'get-iam-policy')) return policy('secret');
    if (is('secrets', 'add-iam-policy-binding')) return bind('secret');
    if (is('secrets', 'versions', 'access')) return this.secret !== null ? ok(`${this.secret}\n`) : notFound;
    if (is('storage', 'objects', 'describe')) return this.objects.has(args[3]) ? ok({ md5_hash: this.objects.get(args[3]) }) : notFound;
    if (is('storage', 'cp')) return (this.objects.set(args[3], createHash('md5').update(readFileSync(args[2])).digest('base64')), ok());
    if (is('functions', 'describe')) {
      if (!this.functionUrl) return notFound;
      return flag(args, '--format') === 'json' ? ok({ url: this.functionUrl }) : ok(`${this.functionUrl}\n`);
    }
    if (is('functions', 'deploy')) {
      assert.ok(existsSync(join(flag(args, '--source')!, 'dist', 'jobs', 'index.js')), 'the function source is staged');
      this.functionUrl = `https://${REGION}-${PROJECT}.cloudfunctions.net/${args[2]}`;
      return ok();
    }
    if (is('run', 'services', 'get-iam-policy')) return policy('run');
    if (is('functions', 'add-invoker-policy-binding')) return bind('run', 'roles/run.invoker'); // gen2: Cloud Run's invoker role
    if (is('app', 'deploy')) {
      this.deploys++;
      this.appYamlAtDeploy.push(readFileSync(args[2], 'utf8'));
      return ok();
    }
    return { code: 2, stdout: '', stderr: `ERROR: unexpected gcloud ${args.join(' ')}` };
  };
}

class FakeScheduler implements SchedulerApi {
  jobs = new Map<string, SchedulerJob>();
  calls: string[] = [];
  async getJob({ name }: { name: string }) {
    this.calls.push('getJob');
    const job = this.jobs.get(name);
    if (!job) throw Object.assign(new Error(`5 NOT_FOUND: Job not found.`), { code: 5 });
    return job;
  }
  async createJob({ job }: { parent: string; job: SchedulerJob }) {
    this.calls.push('createJob');
    this.jobs.set(job.name, job);
    return job;
  }
  async updateJob({ job }: { job: SchedulerJob }) {
    this.calls.push('updateJob');
    this.jobs.set(job.name, job);
    return job;
  }
}

test('a real run (against stand-ins) sets everything up, a second one only redeploys; the secret never shows', async () => {
  const cloud = new FakeCloud();
  const scheduler = new FakeScheduler();
  const secret = `S3cr3t-${'x'.repeat(40)}`;
  const outDir = join(work, 'real-out');
  const lines: string[] = [];
  const deps: DeployDeps = {
    out: (line) => lines.push(line),
    gcloud: cloud.gcloud,
    scheduler: () => scheduler,
    env: { MOVIELENS_DIR: movielens },
    paths: { outDir, distRoot, repoRoot },
    randomSecret: () => secret,
    checkCredentials: async () => {},
    sleep: async () => {},
  };
  const first = await deploy(options(), deps);
  assert.equal(first.appUrl, `https://${PROJECT}.ew.r.appspot.com`);
  assert.equal(first.functionUrl, FUNCTION_URL);

  // Everything is there.
  assert.deepEqual(new Set(cloud.apis), new Set(APIS));
  assert.ok(cloud.app && cloud.database && cloud.bucket && cloud.subnetPrivateAccess);
  assert.equal(cloud.indexes.length, SAMPLE_INDEXES.indexes.length);
  assert.deepEqual([...cloud.exempt].sort(), ['sessions.expireAt', 'users.picks']);
  assert.deepEqual([...cloud.ttl], ['sessions.expireAt']);
  assert.equal(cloud.accounts.size, 4);
  assert.deepEqual([...cloud.objects.keys()].map((k) => k.split('/').slice(3).join('/')), ['movielens/ml-tiny/ratings.csv', 'spark/als_job.py', 'spark/moviehunter_als.zip']);
  assert.ok(cloud.policies.get('run')?.some((b) => b.role === 'roles/run.invoker' && b.members.includes(`serviceAccount:${INVOKER}`)));
  assert.deepEqual(scheduler.calls, ['getJob', 'createJob']);
  const job = [...scheduler.jobs.values()][0];
  assert.deepEqual(job.httpTarget, { uri: FUNCTION_URL, httpMethod: 'POST', oidcToken: { serviceAccountEmail: INVOKER, audience: FUNCTION_URL } });

  // The secret: made once, on stdin only; in the app.yaml gcloud deployed, and nowhere else.
  assert.equal(cloud.secret, secret);
  const withSecret = cloud.calls.filter((c) => c.input === secret);
  assert.deepEqual(withSecret.map((c) => c.args.slice(0, 2).join(' ')), ['secrets create']);
  assert.ok(cloud.calls.every((c) => !c.args.some((a) => a.includes(secret))), 'never in a command line');
  assert.equal(envVariablesOf(cloud.appYamlAtDeploy[0]).SESSION_SECRET, secret, 'the app gets it');
  const output = lines.join('\n');
  assert.ok(!output.includes(secret), 'never in the output');
  const staged = readFileSync(join(outDir, 'app', 'app.yaml'), 'utf8');
  assert.ok(!staged.includes(secret), 'not left in the staged app.yaml');
  assert.equal(envVariablesOf(staged).SESSION_SECRET, SECRET_SHOWN_AS);
  // The staged app: only what the app needs.
  for (const file of ['dist/src/server.js', 'views/layout.ejs', 'package.json', 'package-lock.json', 'movielens/ml-tiny/ratings.csv', '.gcloudignore']) {
    assert.ok(existsSync(join(outDir, 'app', file)), `staged ${file}`);
  }
  assert.ok(!existsSync(join(outDir, 'app', 'dist', 'test')) && !existsSync(join(outDir, 'app', 'src')) && !existsSync(join(outDir, 'app', 'spark')));
  const fnPackage = JSON.parse(readFileSync(join(outDir, 'function', 'package.json'), 'utf8'));
  assert.equal(fnPackage.main, 'dist/jobs/index.js');
  assert.equal(fnPackage.scripts['gcp-build'], '');

  // Again: nothing is created or changed but the two deploys and the scheduler job's update.
  const before = cloud.calls.length;
  lines.length = 0;
  await deploy(options(), deps);
  const readOnly = (args: readonly string[]) =>
    args.some((a) => ['describe', 'list', 'get-iam-policy'].includes(a)) || startsWith(args, 'secrets', 'versions', 'access');
  const changes = cloud.calls.slice(before).filter((c) => !readOnly(c.args));
  assert.deepEqual(
    changes.map((c) => c.args.slice(0, 2).join(' ')),
    ['functions deploy', 'app deploy'],
    `second run changed: ${changes.map((c) => c.args.join(' ')).join('\n')}`,
  );
  assert.deepEqual(scheduler.calls, ['getJob', 'createJob', 'getJob', 'updateJob']);
  assert.equal(cloud.secret, secret, 'the secret is kept');
  assert.ok(!lines.join('\n').includes(secret));
});

test('a failed gcloud command stops the run with its command line and gcloud\'s words', async () => {
  const cloud = new FakeCloud();
  const failing = async (args: readonly string[], o?: GcloudOptions): Promise<GcloudResult> =>
    startsWith(args, 'storage', 'buckets', 'create') ? { code: 1, stdout: '', stderr: 'ERROR: (gcloud.storage.buckets.create) HTTPError 403: no permission' } : cloud.gcloud(args, o);
  await assert.rejects(
    deploy(options(), { out: () => {}, gcloud: failing, scheduler: () => new FakeScheduler(), env: { MOVIELENS_DIR: movielens }, paths: { outDir: join(work, 'fail-out'), distRoot, repoRoot }, checkCredentials: async () => {} }),
    /gcloud storage buckets create gs:\/\/movie-hunter-demo-moviehunter .*failed \(exit 1\): ERROR: \(gcloud\.storage\.buckets\.create\) HTTPError 403/,
  );
  assert.ok(!cloud.calls.some((c) => startsWith(c.args, 'functions', 'deploy')), 'nothing after the failed step');
});

function runScript(args: string[], env: NodeJS.ProcessEnv = {}) {
  return spawnSync(process.execPath, [script, ...args], { cwd: repoRoot, encoding: 'utf8', env: { ...process.env, MOVIELENS_DIR: movielens, ...env }, timeout: 60_000 });
}

test('the script: --dry-run exits 0 and prints the plan without gcloud or credentials', () => {
  const indexes = existsSync(realIndexFile) ? [] : ['--indexes', sampleIndexFile];
  const result = runScript(['--dry-run', '--project', PROJECT, '--region', REGION, '--dataproc-mode', 'cluster', ...indexes], {
    PATH: dirname(process.execPath), // no gcloud to be found
    GOOGLE_APPLICATION_CREDENTIALS: join(work, 'none.json'),
  });
  assert.equal(result.status, 0, result.stderr);
  assert.match(result.stdout, /^Dry run done: nothing was changed\.$/m);
  assert.match(result.stdout, /gcloud functions deploy moviehunter-tick .*DATAPROC_MODE=cluster/);
  assert.match(result.stdout, new RegExp(`SESSION_SECRET=${SECRET_SHOWN_AS.replace(/[<>]/g, '.')}`));
  assert.doesNotMatch(result.stdout, /\b[A-Za-z0-9_-]{43}\b/, 'no secret-like value');
  assert.equal(result.stderr, '');
  assert.equal(runScript(['--help']).status, 0);
});

test('the script: a bad command line is one clear line on stderr and exit code 2', () => {
  for (const [args, message] of [
    [['--dry-run', '--region', REGION], /^deploy-gcp: --project is required \(e\.g\. --project my-project\); see --help$/],
    [['--dry-run', '--project', PROJECT], /^deploy-gcp: --region is required/],
    [['--dry-run', '--project', PROJECT, '--region', REGION, '--dataproc-mode', 'k8s'], /^deploy-gcp: --dataproc-mode must be serverless or cluster, got "k8s"$/],
    [['--dry-run', '--project', PROJECT, '--region', REGION, '--schedule', 'hourly'], /^deploy-gcp: --schedule "hourly": a unix-cron schedule has 5 fields/],
    [['--dry-run', '--project', PROJECT, '--region', REGION, '--frobnicate'], /^deploy-gcp: Unknown option '--frobnicate'$/],
  ] as const) {
    const result = runScript([...args]);
    assert.equal(result.status, 2, `${args.join(' ')}: ${result.stderr}`);
    assert.equal(result.stdout, '');
    const lines = result.stderr.split('\n').filter((l) => l !== '');
    assert.equal(lines.length, 1, result.stderr);
    assert.match(lines[0], message);
  }
  // A missing input file is not a usage error: exit 1, one line, nothing run.
  const missing = runScript(['--dry-run', '--project', PROJECT, '--region', REGION, '--indexes', join(work, 'missing.json')]);
  assert.equal(missing.status, 1);
  assert.match(missing.stderr.trim(), /^deploy-gcp: .*missing\.json is missing/);
  assert.equal(missing.stderr.trim().split('\n').length, 1);
});
