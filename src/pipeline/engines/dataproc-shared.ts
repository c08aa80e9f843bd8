/** What the serverless and cluster modes of the dataproc engine share: settings, the job's arguments, outcomes. */
import type { Logger } from '../../log.js';
import { FAILED_FILE, SUCCESS_FILE } from '../run-folder.js';
import type { RunFolder } from '../run-files.js';
import { utf8 } from '../jsonl.js';
import type { EngineStatus, RunHandle } from './engine.js';
import { oneLine, type DataprocCalls } from './dataproc-api.js';
import { recordFailure } from './run-outcome.js';

export const DATAPROC_ENGINE = 'dataproc';

/** Everything a mode needs, validated and with defaults filled in (see DataprocEngineOptions). */
export interface DataprocSettings {
  readonly projectId: string;
  readonly region: string;
  readonly mainPythonFileUri: string;
  readonly pythonFileUris: readonly string[];
  readonly sparkProperties: Readonly<Record<string, string>>;
  readonly partitions: number | undefined;
  readonly serviceAccount: string | undefined;
  readonly subnetworkUri: string | undefined;
  readonly labels: Readonly<Record<string, string>>;
  readonly idPrefix: string;
  readonly runtimeVersion: string;
  readonly batchTtlSeconds: number;
  readonly stagingBucket: string | undefined;
  readonly clusterName: string;
  readonly imageVersion: string;
  readonly masterMachineType: string;
  readonly workerMachineType: string;
  readonly workerCount: number;
  readonly bootDiskSizeGb: number;
  readonly idleDeleteTtlSeconds: number;
}

export interface DataprocContext {
  readonly settings: DataprocSettings;
  readonly calls: DataprocCalls;
  readonly logger?: Logger;
}

/** spark/als_job.py's arguments: RUN_FOLDER --engine-name dataproc [--partitions N]. */
export function jobArgs(run: RunHandle, settings: DataprocSettings): string[] {
  const args = [run.folder.location, '--engine-name', DATAPROC_ENGINE];
  if (settings.partitions !== undefined) args.push('--partitions', String(settings.partitions));
  return args;
}

/** The work said it finished: succeeded when `_SUCCESS` is there, else failed with `missing`. */
export async function succeededIf(run: RunHandle, missing: string, log?: Logger): Promise<EngineStatus> {
  if (await run.folder.exists(SUCCESS_FILE)) return { state: 'succeeded' };
  return failed(run, missing, log);
}

/**
 * A failed run: the reason already in the folder's `_FAILED` wins (the job's own line, or what an earlier status()
 * recorded), else `reason` is recorded there, so the folder tells the outcome to anyone who looks later.
 */
export async function failed(run: RunHandle, reason: string, log?: Logger): Promise<EngineStatus> {
  const recorded = await recordedFailure(run.folder);
  if (recorded !== null) return { state: 'failed', reason: recorded };
  const line = oneLine(reason, 1500);
  if (!(await recordFailure(run.folder, line))) log?.warn({ file: run.folder.pathOf(FAILED_FILE) }, 'could not record the failure in the run folder');
  return { state: 'failed', reason: line };
}

/** A run whose batch or job cannot be found: the folder's outcome if it has one, else null. */
export async function outcomeInFolderOrNull(folder: RunFolder): Promise<EngineStatus | null> {
  if (await folder.exists(SUCCESS_FILE)) return { state: 'succeeded' };
  const recorded = await recordedFailure(folder);
  return recorded === null ? null : { state: 'failed', reason: recorded };
}

async function recordedFailure(folder: RunFolder): Promise<string | null> {
  const bytes = await folder.read(FAILED_FILE);
  if (bytes === null) return null;
  return oneLine(utf8(bytes, folder.pathOf(FAILED_FILE)), 1500) || 'failed (no reason given)';
}

/** A message from Dataproc for a reason: one line, or `fallback`. */
export function messageOr(text: string | null | undefined, fallback: string): string {
  return (text && oneLine(text, 1000)) || fallback;
}
