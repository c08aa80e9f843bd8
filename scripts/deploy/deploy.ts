/**
 * The whole set-up as a list of named steps (steps/index.ts), in order: every step looks first and only creates or
 * changes what is missing (describe/get before create; "already exists" is fine), so a second run changes nothing but
 * the code it deploys. In a dry run the same steps print their commands and client calls instead of running them.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { repoRoot as defaultRepoRoot } from '../../src/paths.js';
import { placeholdersOf } from './app-yaml.js';
import { DeployError, type DeployContext, type DeployDeps } from './context.js';
import { spawnGcloud, type GcloudRunner } from './gcloud.js';
import { wantedBindings } from './iam.js';
import { readIndexFile } from './indexes.js';
import { deploymentNames, type DeploymentNames } from './names.js';
import type { DeployOptions } from './options.js';
import { Exec, Reporter, type PlanEntry } from './plan.js';
import { ensureMovielens, missingBuildOutput, movielensFiles, movielensSource, sparkPackageFiles, type LocalPaths } from './staging.js';
import { DEPLOY_STEPS } from './steps/index.js';

export { DeployError, type DeployDeps } from './context.js';
export { appYamlValues, envFlag, FUNCTION_TIMEOUT_SECONDS, functionDeployArgs, functionEnv } from './environment.js';
export { APIS } from './steps/platform.js';
export { DEPLOY_STEPS, type StepId } from './steps/index.js';

/** The steps' ids and titles, in the order they run. */
export const STEPS = DEPLOY_STEPS.map(({ id, title }) => [id, title] as const);

export interface DeployResult {
  readonly entries: readonly PlanEntry[];
  readonly names: DeploymentNames;
  /** The app's address (real runs), else null. */
  readonly appUrl: string | null;
  readonly functionUrl: string;
}

export function defaultPaths(): LocalPaths {
  // This file is <dist>/scripts/deploy/deploy.js: the compiled output to deploy is two folders up.
  const distRoot = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
  return { repoRoot: defaultRepoRoot, distRoot, outDir: join(defaultRepoRoot, 'artifacts', 'deploy') };
}

export async function deploy(options: DeployOptions, deps: DeployDeps = {}): Promise<DeployResult> {
  const local = readLocalInputs(options, deps);
  announce(local);
  await checkPrerequisites(local);
  const ctx: DeployContext = { ...local, shippedFiles: movielensFiles(local.movielens), functionUrl: local.names.functionUrl, appUrl: null };
  for (const [i, step] of DEPLOY_STEPS.entries()) {
    ctx.report.startStep(step.id, `[${i + 1}/${DEPLOY_STEPS.length}] ${step.title}`);
    await step.run(ctx);
  }
  summarise(ctx);
  return { entries: ctx.report.entries, names: ctx.names, appUrl: ctx.appUrl, functionUrl: ctx.functionUrl };
}

type LocalInputs = Omit<DeployContext, 'shippedFiles' | 'functionUrl' | 'appUrl'> & { readonly missingBuild: readonly string[]; readonly gcloud: GcloudRunner | null };

/** Everything local first: a missing file stops the run before anything in the cloud changes. */
function readLocalInputs(options: DeployOptions, deps: DeployDeps): LocalInputs {
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
  const bindings = wantedBindings(names);
  return { options, deps, paths, dryRun, out, report, x, gcloud, shown, movielens, ratingsPath, names, indexFile, template, sparkJob, sparkFiles, missingBuild, p, bindings };
}

function announce({ out, options, names, movielens, indexFile, shown, dryRun }: LocalInputs): void {
  out(`MovieHunter on Google Cloud: project ${options.project}, region ${options.region}`);
  out(`  App Engine ${options.appEngineRegion} · Firestore ${options.firestoreLocation} · bucket ${names.bucketUrl} · Dataproc ${options.dataprocMode} · tick "${options.schedule}" (${options.timeZone})`);
  out(`  MovieLens: ${shown(movielens.dir)}${movielens.toDownload ? ' (downloaded first)' : ''} · indexes: ${shown(indexFile.path)} (${indexFile.indexes.length})`);
  if (dryRun) {
    out('Dry run: nothing runs and nothing changes. Each command and client call below is exactly what a real run does;');
    out('"check" lines look first, and lines marked "if missing" (and the like) only happen when the check says so.');
  }
}

/** A real run needs the build output, gcloud logged in, credentials for the client libraries, and the data. */
async function checkPrerequisites({ x, dryRun, missingBuild, shown, gcloud, deps, movielens }: LocalInputs): Promise<void> {
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
}

function summarise({ out, dryRun, appUrl, functionUrl, options, names, p }: DeployContext): void {
  out('');
  out(dryRun ? 'Dry run done: nothing was changed.' : 'Done.');
  out(`  web app:       ${appUrl ?? `https://${options.project}.<region code>.r.appspot.com (gcloud app browse ${p})`}`);
  out(`  tick function: ${functionUrl} (only Cloud Scheduler, as ${names.accounts.invoker.email}, may call it)`);
  out(`  first model:   the first tick trains it; to start now: gcloud scheduler jobs run ${names.schedulerJob.split('/').pop()} --location=${options.region} ${p}`);
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
