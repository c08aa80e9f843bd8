/**
 * Run ids as Dataproc names, deterministically: the same run always maps to the same batch id (serverless) or job id
 * (cluster), so a replayed submit (a Cloud Scheduler retry, two ticks, a second process) meets ALREADY_EXISTS instead
 * of starting a second training, and any process can find a run's batch or job from the run id alone.
 */
import { createHash } from 'node:crypto';

/** Batch ids: 4–63 characters of [a-z0-9-], starting with a letter. Job ids allow more; one id serves both. */
const MAX_ID = 63;
const HASH_CHARS = 8;
/** The id prefix: a letter, then up to 19 of [a-z0-9-], not ending with '-'. */
export const ID_PREFIX_PATTERN = /^[a-z](?:[a-z0-9-]{0,18}[a-z0-9])?$/;

/**
 * `<prefix>-<run id, lowercased, other characters as '-', shortened>-<8 hex of sha256(run id)>`, e.g.
 * `mh-20250102t030405678z-1a2b3c-5f0c9a1e`. The hash keeps two run ids apart that differ only in case or in
 * characters Dataproc does not allow, or beyond the part that fits.
 */
export function dataprocIdFor(runId: string, prefix = 'mh'): string {
  if (!ID_PREFIX_PATTERN.test(prefix)) throw new Error(`Dataproc id prefix ${JSON.stringify(prefix)}: expected a lowercase letter, then up to 19 of a-z, 0-9 and '-', not ending with '-'`);
  if (runId.length === 0) throw new Error('a run id is empty');
  const hash = createHash('sha256').update(runId, 'utf8').digest('hex').slice(0, HASH_CHARS);
  const room = MAX_ID - prefix.length - HASH_CHARS - 2;
  const body = runId
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .slice(0, room)
    .replace(/^-+|-+$/g, '');
  return body ? `${prefix}-${body}-${hash}` : `${prefix}-${hash}`;
}

/** A label value (lowercase letters, digits, '_' and '-', at most 63): the run id as far as it goes. */
export function labelValueFor(value: string): string {
  return value
    .toLowerCase()
    .replace(/[^a-z0-9_-]/g, '-')
    .slice(0, 63);
}

/** Label keys: a lowercase letter, then up to 62 of [a-z0-9_-]. */
const LABEL_KEY = /^[a-z][a-z0-9_-]{0,62}$/;
const LABEL_VALUE = /^[a-z0-9_-]{0,63}$/;

/** Throws naming the first label Dataproc would refuse. */
export function checkLabels(labels: Readonly<Record<string, string>>, what: string): void {
  for (const [key, value] of Object.entries(labels)) {
    if (!LABEL_KEY.test(key)) throw new Error(`${what}: label key ${JSON.stringify(key)} must be a lowercase letter then up to 62 of a-z, 0-9, '_' and '-'`);
    if (!LABEL_VALUE.test(value)) throw new Error(`${what}: label ${key}=${JSON.stringify(value)}: values are up to 63 of a-z, 0-9, '_' and '-'`);
  }
}
