/**
 * How a finished run is told from its folder alone, for every local engine: `_SUCCESS` (outputs final) or
 * `_FAILED` (the reason, one line). Engines write `_FAILED` for every failure they see, so a later status() — even
 * after a restart — never finds neither while the run is over.
 */
import { FAILED_FILE, SUCCESS_FILE } from '../run-folder.js';
import type { RunFolder } from '../run-files.js';
import { utf8 } from '../jsonl.js';
import type { EngineStatus } from './engine.js';

/**
 * Why status() calls a run with no process here and no outcome in its folder interrupted: a local run cannot outlive
 * the process that runs it, so the app stopped or crashed in the middle of it.
 */
export const NOT_RUNNING_HERE = 'nothing is running this run in this process and its folder has no outcome (the app restarted?)';

/** True when the folder already holds a finished run (an engine must not run it again). */
export async function isFinished(folder: RunFolder): Promise<boolean> {
  return (await folder.exists(SUCCESS_FILE)) || (await folder.exists(FAILED_FILE));
}

export async function outcomeInFolder(folder: RunFolder): Promise<EngineStatus> {
  if (await folder.exists(SUCCESS_FILE)) return { state: 'succeeded' };
  const failed = await folder.read(FAILED_FILE);
  if (failed !== null) return { state: 'failed', reason: utf8(failed, folder.pathOf(FAILED_FILE)).trim() || 'failed (no reason given)' };
  return { state: 'interrupted', reason: NOT_RUNNING_HERE };
}

/** Writes `_FAILED` with the reason on one line; true when it could. */
export async function recordFailure(folder: RunFolder, reason: string): Promise<boolean> {
  try {
    await folder.write(FAILED_FILE, `${reason.replace(/\s*\n\s*/g, ' ').trim()}\n`);
    return true;
  } catch {
    return false;
  }
}
