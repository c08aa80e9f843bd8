/** The steps that ship the code and data: uploads, the tick function and who may call it, the web app, the scheduler. */
import { existsSync } from 'node:fs';
import { join, relative } from 'node:path';
import { envVariablesOf, renderAppYaml, SECRET_SHOWN_AS } from '../app-yaml.js';
import { DeployError, type DeployContext } from '../context.js';
import { appYamlValues, FUNCTION_TIMEOUT_SECONDS, functionDeployArgs } from '../environment.js';
import { isUnknownAccount, missingBindings, type Binding, type Policy } from '../iam.js';
import { parseJson, type Exec } from '../plan.js';
import { ensureSchedulerJob, schedulerJob, type SchedulerApi } from '../scheduler.js';
import { buildSparkZip, clearStagedSecret, md5Base64, stageApp, stageFunction } from '../staging.js';

export async function uploadDataAndJob({ x, paths, dryRun, shown, sparkFiles, sparkJob, movielens, names }: DeployContext): Promise<void> {
  const zipPath = join(paths.outDir, 'moviehunter_als.zip');
  x.file(shown(zipPath), `a zip of ${sparkFiles.map((f) => relative(paths.repoRoot, f)).join(', ')}`);
  if (!dryRun) await buildSparkZip(paths.repoRoot, zipPath);
  await ensureUploaded(x, join(movielens.dir, movielens.ratingsFile), names.locations.ratings, shown);
  await ensureUploaded(x, sparkJob, names.locations.job, shown);
  await ensureUploaded(x, zipPath, names.locations.jobPackage, shown);
}

/** Deploys the tick function; its real address becomes ctx.functionUrl (the OIDC audience and the scheduler's target). */
export async function deployTickFunction(ctx: DeployContext): Promise<void> {
  const { x, p, paths, dryRun, shown, options, names } = ctx;
  const dir = join(paths.outDir, 'function');
  x.file(shown(dir), 'dist/src, dist/jobs, package.json (main: dist/jobs/index.js, no build step), package-lock.json');
  if (!dryRun) await stageFunction(paths);
  const existing = await x.look(['functions', 'describe', names.functionName, '--gen2', `--region=${options.region}`, p, '--format=json'], parseJson<{ url?: string }>);
  if (existing.kind === 'found' && existing.value.url) ctx.functionUrl = existing.value.url;
  const deployArgs = (url: string) => functionDeployArgs(options, names, shown(dir), url);
  x.note(`its address, the OIDC audience (TICK_AUDIENCE) and the scheduler's target: ${ctx.functionUrl}`);
  await x.run(deployArgs(ctx.functionUrl), { when: 'creates or updates' });
  if (!dryRun) {
    const deployed = await x.look(['functions', 'describe', names.functionName, '--gen2', `--region=${options.region}`, p, '--format=value(url)'], (s) => s.trim());
    const actual = deployed.kind === 'found' ? deployed.value : '';
    if (actual && actual !== ctx.functionUrl) {
      x.note(`its address is ${actual}: deploying again with that audience`);
      ctx.functionUrl = actual;
      await x.run(deployArgs(ctx.functionUrl));
    }
  }
}

export async function allowSchedulerToInvoke({ x, p, options, names }: DeployContext): Promise<void> {
  const invokerSa = names.accounts.invoker;
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

/** Deploys a new version of the web app; its address becomes ctx.appUrl. */
export async function deployWebApp(ctx: DeployContext): Promise<void> {
  const { x, p, paths, dryRun, shown, options, names, movielens, ratingsPath, template, shippedFiles } = ctx;
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
  if (host.kind === 'found' && host.value) ctx.appUrl = `https://${host.value}`;
}

export async function ensureTickSchedule({ x, dryRun, deps, options, names, functionUrl }: DeployContext): Promise<void> {
  const job = schedulerJob({
    name: names.schedulerJob,
    schedule: options.schedule,
    timeZone: options.timeZone,
    functionUrl,
    invokerEmail: names.accounts.invoker.email,
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
