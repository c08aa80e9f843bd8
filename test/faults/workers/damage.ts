/**
 * The fault workers' common part: run the real inprocess job on the run folder (so everything it writes is
 * genuine), then damage one thing the way a broken engine or a full disk would, and report `done` (the engine
 * then believes the run succeeded; only the tick's validation stands between the damage and the users).
 */
import { readFile, rm, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { runInprocessJob } from '../../../src/pipeline/engines/inprocess-job.js';

export type Damage = (dir: string) => Promise<void>;

export async function runThenDamage(damage: Damage): Promise<void> {
  const { dir } = workerData as { dir: string };
  await runInprocessJob(dir, { threads: 1 });
  await damage(dir);
  parentPort?.postMessage({ type: 'done' });
}

export const recommendationsOf = (dir: string) => join(dir, 'recommendations.jsonl');

/** The recommendations file as lines (without the final newline). */
export async function lines(dir: string): Promise<string[]> {
  return (await readFile(recommendationsOf(dir), 'utf8')).split('\n').filter((line) => line !== '');
}

export async function writeLines(dir: string, text: readonly string[]): Promise<void> {
  await writeFile(recommendationsOf(dir), text.map((line) => `${line}\n`).join(''));
}

export { readFile, rm, truncate, writeFile };
