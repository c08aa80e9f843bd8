/** What every deployment step works with: the options, what was read locally before anything ran, and the runner. */
import type { GcloudRunner } from './gcloud.js';
import type { IndexFile } from './indexes.js';
import type { wantedBindings } from './iam.js';
import type { DeploymentNames } from './names.js';
import type { DeployOptions } from './options.js';
import type { Exec, Reporter } from './plan.js';
import type { SchedulerApi } from './scheduler.js';
import type { LocalPaths, MovielensSource } from './staging.js';

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

/** A problem the deployment cannot go past: the message says what and what to do. */
export class DeployError extends Error {
  override name = 'DeployError';
}

export interface DeployContext {
  readonly options: DeployOptions;
  readonly deps: DeployDeps;
  readonly paths: LocalPaths;
  readonly dryRun: boolean;
  readonly out: (line: string) => void;
  readonly report: Reporter;
  /** Runs (or, in a dry run, prints) gcloud commands. */
  readonly x: Exec;
  /** A path as the output shows it: relative to the working directory when inside it. */
  readonly shown: (path: string) => string;
  readonly movielens: MovielensSource;
  /** The ratings file's path inside the bucket and the staged app. */
  readonly ratingsPath: string;
  readonly names: DeploymentNames;
  readonly indexFile: IndexFile;
  /** app.yaml, placeholders unfilled. */
  readonly template: string;
  readonly sparkJob: string;
  readonly sparkFiles: readonly string[];
  /** The --project=… flag every command carries. */
  readonly p: string;
  readonly bindings: ReturnType<typeof wantedBindings>;
  /** The MovieLens files the app ships (known once the data is there, downloaded if need be). */
  readonly shippedFiles: readonly { readonly name: string; readonly bytes: number }[];
  /** The tick function's address: the expected one until the function step learns the real one. */
  functionUrl: string;
  /** The app's address once deployed (real runs), else null. */
  appUrl: string | null;
}
