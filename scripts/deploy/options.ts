/** scripts/deploy-gcp's command line: what it accepts, its defaults, and one clear line for anything wrong. */
import { parseArgs } from 'node:util';

export type DataprocMode = 'serverless' | 'cluster';

export interface DeployOptions {
  readonly project: string;
  /** A Compute Engine region (europe-west1): Dataproc, the function, Cloud Scheduler, the bucket. */
  readonly region: string;
  readonly bucket: string;
  readonly dataprocMode: DataprocMode;
  /** Cloud Scheduler's unix-cron schedule for the tick. */
  readonly schedule: string;
  readonly timeZone: string;
  /** Firestore's location: the region unless given (a multi-region such as eur3 or nam5 also works). */
  readonly firestoreLocation: string;
  /** App Engine's region name (europe-west for europe-west1, us-central for us-central1), derived unless given. */
  readonly appEngineRegion: string;
  /** The subnetwork Dataproc runs in (Private Google Access is turned on there). */
  readonly subnet: string;
  /** Set when --subnet was given: the engine is told about it (otherwise it uses the default network's). */
  readonly subnetGiven: boolean;
  /** firestore.indexes.json to apply; src/store/firestore/firestore.indexes.json unless given. */
  readonly indexesFile: string | undefined;
  readonly dryRun: boolean;
}

export const DEFAULT_SCHEDULE = '*/15 * * * *';

export const USAGE = `Usage: scripts/deploy-gcp --project ID --region REGION [options]

Sets MovieHunter up on Google Cloud, or brings an existing set-up up to date: APIs, App Engine, Firestore
(database, composite indexes, sessions TTL), the bucket, service accounts and IAM, the session secret, the ratings and
the Spark job in the bucket, the tick function, the web app, and the Cloud Scheduler job. Every step looks first and
only creates or changes what is missing, so running it again is safe. Needs gcloud (logged in, with Application
Default Credentials for the scheduler client) unless --dry-run.

Required:
  --project ID              Google Cloud project id (billing enabled)
  --region REGION           Compute Engine region, e.g. europe-west1 or us-central1

Options:
  --bucket NAME             bucket for data, run folders and models (default: <project>-moviehunter)
  --dataproc-mode MODE      serverless (default: a Dataproc Serverless batch per run) or cluster (an ephemeral
                            cluster that Dataproc deletes once idle)
  --schedule CRON           how often Cloud Scheduler runs the tick, unix-cron (default: "${DEFAULT_SCHEDULE}")
  --time-zone TZ            the schedule's time zone (default: Etc/UTC)
  --firestore-location LOC  Firestore location (default: the region; eur3 or nam5 for a multi-region)
  --app-engine-region NAME  App Engine region (default: derived from --region: europe-west1 → europe-west,
                            us-central1 → us-central, else the same name)
  --subnet NAME             subnetwork for Dataproc in the region (default: default)
  --indexes FILE            composite indexes to create (default: src/store/firestore/firestore.indexes.json)
  --dry-run                 print every step (each gcloud command, each client call with its request) and run nothing
  -h, --help                this text

Environment: MOVIELENS_DIR picks the MovieLens folder to ship and upload (default: ml-latest-small).`;

/** A bad command line: the message is the one line to print. */
export class UsageError extends Error {
  override name = 'UsageError';
}

export type ParsedCommand = { readonly help: true } | { readonly help: false; readonly options: DeployOptions };

const PROJECT_ID = /^[a-z][a-z0-9-]{4,28}[a-z0-9]$/;
const REGION = /^[a-z]+-[a-z]+\d+$/;
const SUBNET = /^[a-z]([-a-z0-9]{0,61}[a-z0-9])?$/;

export function parseDeployArgs(argv: readonly string[]): ParsedCommand {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: {
        project: { type: 'string' },
        region: { type: 'string' },
        bucket: { type: 'string' },
        'dataproc-mode': { type: 'string' },
        schedule: { type: 'string' },
        'time-zone': { type: 'string' },
        'firestore-location': { type: 'string' },
        'app-engine-region': { type: 'string' },
        subnet: { type: 'string' },
        indexes: { type: 'string' },
        'dry-run': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    });
  } catch (err) {
    // node:util's messages are long and mention internals; keep the gist on one line.
    throw new UsageError(firstLine((err as Error).message).replace(/\. To specify a positional argument.*$/, ''));
  }
  const v = parsed.values;
  if (v.help) return { help: true };

  const project = required(v.project, '--project', 'my-project');
  if (!PROJECT_ID.test(project)) {
    throw new UsageError(`--project ${JSON.stringify(project)} is not a project id (6–30 lowercase letters, digits and hyphens, starting with a letter)`);
  }
  const region = required(v.region, '--region', 'europe-west1');
  if (!REGION.test(region)) throw new UsageError(`--region ${JSON.stringify(region)} is not a region like europe-west1 or us-central1`);

  const bucket = v.bucket ?? `${project}-moviehunter`;
  const bucketProblem = checkBucketName(bucket);
  if (bucketProblem) throw new UsageError(`--bucket ${JSON.stringify(bucket)}: ${bucketProblem}`);

  const mode = v['dataproc-mode'] ?? 'serverless';
  if (mode !== 'serverless' && mode !== 'cluster') throw new UsageError(`--dataproc-mode must be serverless or cluster, got ${JSON.stringify(mode)}`);

  const schedule = (v.schedule ?? DEFAULT_SCHEDULE).trim().replace(/\s+/g, ' ');
  const scheduleProblem = checkCron(schedule);
  if (scheduleProblem) throw new UsageError(`--schedule ${JSON.stringify(v.schedule)}: ${scheduleProblem}`);

  const timeZone = v['time-zone'] ?? 'Etc/UTC';
  if (!/^[A-Za-z_]+(?:\/[A-Za-z0-9_+-]+)*$/.test(timeZone)) throw new UsageError(`--time-zone ${JSON.stringify(timeZone)} is not a tz database name like Etc/UTC or Europe/Paris`);

  const firestoreLocation = v['firestore-location'] ?? region;
  if (!/^[a-z][a-z0-9-]*[a-z0-9]$/.test(firestoreLocation)) throw new UsageError(`--firestore-location ${JSON.stringify(firestoreLocation)} is not a location like europe-west1 or eur3`);
  const appEngineRegion = v['app-engine-region'] ?? appEngineRegionOf(region);
  if (!/^[a-z]+-[a-z]+\d*$/.test(appEngineRegion)) throw new UsageError(`--app-engine-region ${JSON.stringify(appEngineRegion)} is not an App Engine region like europe-west or us-central`);

  const subnet = v.subnet ?? 'default';
  if (!SUBNET.test(subnet)) throw new UsageError(`--subnet ${JSON.stringify(subnet)} is not a subnetwork name`);
  if (v.indexes !== undefined && v.indexes.trim() === '') throw new UsageError('--indexes needs a file');

  return {
    help: false,
    options: {
      project,
      region,
      bucket,
      dataprocMode: mode,
      schedule,
      timeZone,
      firestoreLocation,
      appEngineRegion,
      subnet,
      subnetGiven: v.subnet !== undefined,
      indexesFile: v.indexes,
      dryRun: v['dry-run'] ?? false,
    },
  };
}

/** App Engine names two of its regions differently from Compute Engine; the others are the same. */
export function appEngineRegionOf(region: string): string {
  if (region === 'us-central1') return 'us-central';
  if (region === 'europe-west1') return 'europe-west';
  return region;
}

function required(value: string | undefined, flag: string, example: string): string {
  if (value === undefined || value.trim() === '') throw new UsageError(`${flag} is required (e.g. ${flag} ${example}); see --help`);
  return value.trim();
}

/** Cloud Storage's naming rules for a bucket without dots; null when fine. */
export function checkBucketName(name: string): string | null {
  if (name.length < 3 || name.length > 63) return 'a bucket name has 3 to 63 characters';
  if (!/^[a-z0-9][a-z0-9_-]*[a-z0-9]$/.test(name)) return 'use lowercase letters, digits, "-" and "_", starting and ending with a letter or digit';
  if (name.startsWith('goog') || name.includes('google')) return 'bucket names may not start with "goog" or contain "google"';
  return null;
}

const CRON_FIELDS: readonly { name: string; min: number; max: number; names?: readonly string[] }[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'] },
  { name: 'day of week', min: 0, max: 7, names: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] },
];

/** A unix-cron check (five fields: numbers, ranges, lists, steps, month and day names); null when fine. */
export function checkCron(schedule: string): string | null {
  const fields = schedule.split(' ');
  if (fields.length !== 5) return `a unix-cron schedule has 5 fields (minute hour day month weekday), e.g. "${DEFAULT_SCHEDULE}"`;
  for (const [i, field] of fields.entries()) {
    const spec = CRON_FIELDS[i];
    for (const part of field.split(',')) {
      const [range, step, extra] = part.split('/');
      if (extra !== undefined || (step !== undefined && !/^[1-9]\d*$/.test(step))) return `bad step in the ${spec.name} field ${JSON.stringify(field)}`;
      if (range === '*') continue;
      const ends = range.split('-');
      if (ends.length > 2 || ends.some((end) => !valueOk(end, spec))) return `bad ${spec.name} field ${JSON.stringify(field)} (${spec.min}–${spec.max})`;
    }
  }
  return null;
}

function valueOk(text: string, spec: (typeof CRON_FIELDS)[number]): boolean {
  if (spec.names?.includes(text.toLowerCase())) return true;
  if (!/^\d+$/.test(text)) return false;
  const n = Number(text);
  return n >= spec.min && n <= spec.max;
}

/**
 * The longest gap between two ticks for the common shapes ("*\/N * * * *", "M * * * *", "M *\/N * * *"); a day for
 * anything else. Used to keep the run timeout and the cluster's idle TTL longer than the time between ticks.
 */
export function tickIntervalSeconds(schedule: string): number {
  const [minute, hour, day, month, weekday] = schedule.split(' ');
  const everyDay = day === '*' && month === '*' && weekday === '*';
  if (!everyDay) return 86_400;
  const step = (field: string) => (field === '*' ? 1 : /^\*\/(\d+)$/.exec(field)?.[1]);
  const minuteStep = step(minute);
  if (hour === '*' && minuteStep !== undefined) return Number(minuteStep) * 60;
  if (/^\d+$/.test(minute)) {
    const hourStep = step(hour);
    if (hourStep !== undefined) return Number(hourStep) * 3600;
  }
  return 86_400;
}

function firstLine(text: string): string {
  return text.split('\n')[0] ?? text;
}
