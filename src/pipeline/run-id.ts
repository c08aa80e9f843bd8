import { randomBytes } from 'node:crypto';

/** A run id that sorts by creation time and is safe as a folder name: 20250102T030405678Z-1a2b3c. */
export function newRunId(now: number): string {
  return `${new Date(now).toISOString().replace(/[-:.]/g, '')}-${randomBytes(3).toString('hex')}`;
}
