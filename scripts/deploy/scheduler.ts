/**
 * The Cloud Scheduler job that runs the tick: with @google-cloud/scheduler (CloudSchedulerClient), an HTTP target
 * POSTing to the function with an OIDC token for the invoker account. getJob → updateJob when it is there, else
 * createJob; the requests are plain data so a dry run prints exactly what a real run sends.
 */
import type { Exec } from './plan.js';

export interface SchedulerJob {
  readonly name: string;
  readonly description: string;
  readonly schedule: string;
  readonly timeZone: string;
  readonly httpTarget: {
    readonly uri: string;
    readonly httpMethod: 'POST';
    readonly oidcToken: { readonly serviceAccountEmail: string; readonly audience: string };
  };
  readonly retryConfig: { readonly retryCount: number; readonly minBackoffDuration: { readonly seconds: number } };
  readonly attemptDeadline: { readonly seconds: number };
}

/** The part of CloudSchedulerClient the deployment uses (tests pass a fake). */
export interface SchedulerApi {
  getJob(request: { name: string }): Promise<unknown>;
  createJob(request: { parent: string; job: SchedulerJob }): Promise<unknown>;
  updateJob(request: { job: SchedulerJob; updateMask: { paths: string[] } }): Promise<unknown>;
  close?(): Promise<void>;
}

export interface SchedulerJobSpec {
  readonly name: string;
  readonly schedule: string;
  readonly timeZone: string;
  readonly functionUrl: string;
  readonly invokerEmail: string;
  /** How long one call may take: the function's timeout. */
  readonly deadlineSeconds: number;
}

export function schedulerJob(spec: SchedulerJobSpec): SchedulerJob {
  return {
    name: spec.name,
    description: 'MovieHunter: one tick (import finished runs, start a run for pending users)',
    schedule: spec.schedule,
    timeZone: spec.timeZone,
    httpTarget: {
      uri: spec.functionUrl,
      httpMethod: 'POST',
      oidcToken: { serviceAccountEmail: spec.invokerEmail, audience: spec.functionUrl },
    },
    // The tick is idempotent; one quick retry covers a cold start that timed out, the next tick covers the rest.
    retryConfig: { retryCount: 1, minBackoffDuration: { seconds: 30 } },
    attemptDeadline: { seconds: spec.deadlineSeconds },
  };
}

/** The fields updateJob replaces (the job's state, paused or not, is left as it is). */
export const UPDATE_MASK = ['description', 'schedule', 'time_zone', 'http_target', 'retry_config', 'attempt_deadline'];

/** getJob, then updateJob or createJob. */
export async function ensureSchedulerJob(x: Exec, api: (() => SchedulerApi) | null, parent: string, job: SchedulerJob): Promise<void> {
  const client = () => api!();
  const found = await x.call('CloudSchedulerClient.getJob', { name: job.name }, async () => {
    try {
      await client().getJob({ name: job.name });
      return true;
    } catch (err) {
      if (isNotFound(err)) return false;
      throw err;
    }
  });
  if (found === null || found) {
    const update = { job, updateMask: { paths: UPDATE_MASK } };
    await x.call('CloudSchedulerClient.updateJob', update, () => client().updateJob(update), 'if it exists');
  }
  if (found === null || !found) {
    const create = { parent, job };
    await x.call('CloudSchedulerClient.createJob', create, async () => {
      try {
        return await client().createJob(create);
      } catch (err) {
        // Made meanwhile by another run: bring it up to date instead.
        if ((err as { code?: number }).code !== 6) throw err;
        return client().updateJob({ job, updateMask: { paths: UPDATE_MASK } });
      }
    }, 'else');
  }
}

function isNotFound(err: unknown): boolean {
  return (err as { code?: number }).code === 5 || /NOT_FOUND/.test((err as Error).message ?? '');
}
