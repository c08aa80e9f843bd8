/**
 * RunFolder and RunFolders in Cloud Storage: a run folder is an object prefix, gs://bucket/runs/<id>, and its files
 * are the objects under it (gs://bucket/runs/<id>/model/manifest.json). Same names, same rules, same answers as the
 * local folder in ./run-files.ts, so the tick, the engines and the model loader work unchanged on either.
 *
 * - read: the whole object, or null when there is none (HTTP 404 on the object).
 * - write: one non-resumable (multipart) upload with no preconditions: Cloud Storage makes an object visible only
 *   once it is complete, so a reader sees the old content or the new one, never a part; the last writer wins.
 *   Not retried by the client (an upload without preconditions is not idempotent to it); the caller (the tick)
 *   retries the step.
 * - exists: one metadata request.
 * - A missing bucket is an error naming the bucket, never "missing file"; other failures are one-line errors naming
 *   the object and the reason (HTTP status, or the network error code). Errors carry no credentials and no request
 *   details: they are built from status codes and messages only, never wrapped around the client's error object.
 *
 * Retries, timeouts and the endpoint are the Storage client's own options (retryOptions, timeout, apiEndpoint).
 */
import type { File, Storage } from '@google-cloud/storage';
import { checkFileName, checkRunId, type RunFolder, type RunFolders } from './run-files.js';

/** gs://bucket[/prefix]: bucket and object prefix ('' for the bucket's top). */
export interface GcsLocation {
  readonly bucket: string;
  readonly prefix: string;
}

/** Bucket names: lowercase letters, digits, '-', '_' and '.', starting and ending with a letter or digit. */
const BUCKET_NAME = /^[a-z0-9][a-z0-9._-]{1,220}[a-z0-9]$/;

export function isGcsUri(location: string): boolean {
  return location.startsWith('gs://');
}

/** Splits and checks gs://bucket/some/prefix (one trailing '/' allowed); the prefix has no empty, '.' or '..' parts. */
export function parseGcsUri(uri: string): GcsLocation {
  const bad = (why: string): Error => new Error(`${JSON.stringify(uri)} is not a Cloud Storage folder (gs://bucket/prefix): ${why}`);
  if (!isGcsUri(uri)) throw bad('it does not start with gs://');
  const rest = uri.slice('gs://'.length).replace(/\/$/, '');
  const slash = rest.indexOf('/');
  const bucket = slash === -1 ? rest : rest.slice(0, slash);
  const prefix = slash === -1 ? '' : rest.slice(slash + 1);
  if (!BUCKET_NAME.test(bucket)) throw bad(`${JSON.stringify(bucket)} is not a bucket name`);
  if (slash !== -1 && prefix.split('/').some((part) => part === '' || part === '.' || part === '..')) {
    throw bad('the path has an empty, "." or ".." part');
  }
  return { bucket, prefix };
}

/** Run folders under gs://bucket/prefix, one per run id (the same SAFE_ID rule as localRunFolders). */
export function gcsRunFolders(storage: Storage, uri: string): RunFolders {
  const { bucket, prefix } = parseGcsUri(uri);
  const root = prefix === '' ? `gs://${bucket}` : `gs://${bucket}/${prefix}`;
  return {
    folder(runId) {
      return gcsRunFolder(storage, `${root}/${checkRunId(runId)}`);
    },
  };
}

/** The folder at gs://bucket/some/prefix; its location is that URI (without a trailing '/'). */
export function gcsRunFolder(storage: Storage, uri: string): RunFolder {
  const { bucket: bucketName, prefix } = parseGcsUri(uri);
  const location = prefix === '' ? `gs://${bucketName}` : `gs://${bucketName}/${prefix}`;
  const bucket = storage.bucket(bucketName);
  const objectName = (name: string): string => (prefix === '' ? checkFileName(name) : `${prefix}/${checkFileName(name)}`);
  const pathOf = (name: string): string => `gs://${bucketName}/${objectName(name)}`;

  /** A 404: the object is missing (→ null/false) unless the bucket itself is, which is an error. */
  const notFound = async (path: string, err: unknown): Promise<void> => {
    if (/bucket does not exist/i.test(messageOf(err)) || !(await bucketExists(storage, bucketName, path))) {
      throw new Error(`${path}: bucket ${bucketName} does not exist`);
    }
  };

  return {
    location,
    pathOf,
    async read(name) {
      const path = pathOf(name);
      try {
        const [bytes] = await bucket.file(objectName(name)).download();
        return bytes;
      } catch (err) {
        if (statusOf(err) !== 404) throw gcsError(path, 'cannot read', err, storage);
        await notFound(path, err);
        return null;
      }
    },
    async write(name, content) {
      const path = pathOf(name);
      const bytes = typeof content === 'string' ? Buffer.from(content, 'utf8') : Buffer.from(content.buffer, content.byteOffset, content.byteLength);
      try {
        await upload(bucket.file(objectName(name)), bytes, contentTypeOf(name, typeof content === 'string'));
      } catch (err) {
        if (statusOf(err) === 404) await notFound(path, err);
        if ((err as { code?: unknown }).code === 'ERR_STREAM_DESTROYED') {
          // The client lost the cause (e.g. no credentials): one plain request about the object says why.
          try {
            await bucket.file(objectName(name)).getMetadata();
          } catch (probe) {
            if (statusOf(probe) === 404) await notFound(path, probe);
            else throw gcsError(path, 'cannot write', probe, storage);
          }
        }
        throw gcsError(path, 'cannot write', err, storage);
      }
    },
    async exists(name) {
      const path = pathOf(name);
      try {
        await bucket.file(objectName(name)).getMetadata();
        return true;
      } catch (err) {
        if (statusOf(err) !== 404) throw gcsError(path, 'cannot check', err, storage);
        await notFound(path, err);
        return false;
      }
    },
  };
}

/**
 * One simple (multipart, non-resumable) upload, settled by the first error or by 'finish' (uploaded and checked).
 * Not File.save(): without preconditions save() sets the shared client's retryOptions.autoRetry to false and never
 * sets it back (@google-cloud/storage 7.22), so after the first write no read would be retried any more.
 * When the upload fails before it starts (e.g. no credentials), the client reports only "Cannot call write after a
 * stream was destroyed" (ERR_STREAM_DESTROYED); write() then asks once more to find the cause.
 */
function upload(file: File, bytes: Buffer, contentType: string): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const stream = file.createWriteStream({ resumable: false, contentType });
    let settled = false;
    stream.on('error', (err) => {
      if (!settled) reject(err);
      settled = true;
    });
    stream.once('finish', () => {
      if (!settled) resolve();
      settled = true;
    });
    stream.end(bytes);
  });
}

/** Buckets seen to exist, per client: a missing object costs one extra request only the first time. */
const knownBuckets = new WeakMap<Storage, Set<string>>();

async function bucketExists(storage: Storage, bucketName: string, path: string): Promise<boolean> {
  const known = knownBuckets.get(storage) ?? new Set<string>();
  knownBuckets.set(storage, known);
  if (known.has(bucketName)) return true;
  try {
    await storage.bucket(bucketName).getMetadata();
  } catch (err) {
    const status = statusOf(err);
    if (status === 404) return false;
    // Object-only roles (e.g. roles/storage.objectAdmin) may not read bucket metadata: the object request got
    // past the bucket, so take it as existing.
    if (status !== 403) throw gcsError(path, 'cannot check the bucket of', err, storage);
  }
  known.add(bucketName);
  return true;
}

/** Cannot connect at all. */
const UNREACHABLE = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'UND_ERR_CONNECT_TIMEOUT']);
/** Connected, then lost the connection (or it timed out). */
const CONNECTION_LOST = new Set(['ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ECONNABORTED', 'UND_ERR_SOCKET']);
const NETWORK_CODES = new Set([...UNREACHABLE, ...CONNECTION_LOST]);

/** One line: what failed, where, and why; built from the status and message only (no request, no headers). */
function gcsError(path: string, action: string, err: unknown, storage: Storage): Error {
  const status = statusOf(err);
  const code = networkCodeOf(err);
  let why: string;
  if (code !== undefined) {
    why = UNREACHABLE.has(code)
      ? `Cloud Storage at ${endpointOf(storage)} is unreachable (${code})`
      : `the connection to Cloud Storage at ${endpointOf(storage)} failed (${code})`;
  } else if (status === 401 || status === 403) {
    why = `permission denied (HTTP ${status}: ${messageOf(err)})`;
  } else if (status !== undefined) {
    why = `HTTP ${status}: ${messageOf(err)}`;
  } else {
    why = messageOf(err);
  }
  const error = new Error(`${path}: ${action}: ${why}`);
  if (status !== undefined) Object.assign(error, { status });
  if (code !== undefined) Object.assign(error, { code });
  return error;
}

function statusOf(err: unknown): number | undefined {
  const e = err as { code?: unknown; status?: unknown; response?: { status?: unknown } } | null;
  if (typeof e?.code === 'number') return e.code;
  if (typeof e?.status === 'number') return e.status;
  if (typeof e?.response?.status === 'number') return e.response.status;
  return undefined;
}

/** ECONNREFUSED and friends, on the error or on one of its causes. */
function networkCodeOf(err: unknown): string | undefined {
  let e = err as { code?: unknown; errno?: unknown; cause?: unknown; message?: unknown } | null | undefined;
  for (let depth = 0; e && depth < 5; depth++) {
    if (typeof e.code === 'string' && NETWORK_CODES.has(e.code)) return e.code;
    const message = e.message;
    const inMessage = typeof message === 'string' ? [...NETWORK_CODES].find((c) => message.includes(c)) : undefined;
    if (inMessage !== undefined) return inMessage;
    e = e.cause as typeof e;
  }
  return undefined;
}

/** The first line of the message, short, with anything token-like blanked out. */
function messageOf(err: unknown): string {
  const raw = err instanceof Error ? err.message : typeof (err as { message?: unknown })?.message === 'string' ? (err as { message: string }).message : String(err);
  const line = (raw.split('\n')[0] ?? '').trim();
  const clean = line
    .replace(/(bearer\s+)[^\s,;]+/gi, '$1[redacted]')
    .replace(/([?&](?:access_token|token|key|X-Goog-Signature|X-Goog-Credential)=)[^&\s]+/gi, '$1[redacted]');
  return clean.length > 300 ? `${clean.slice(0, 300)}…` : clean || 'unknown error';
}

function endpointOf(storage: Storage): string {
  const endpoint = (storage as unknown as { apiEndpoint?: unknown }).apiEndpoint;
  return typeof endpoint === 'string' ? endpoint.replace(/\/\/[^/@]*@/, '//') : 'storage.googleapis.com';
}

/** For people browsing the bucket; readers never look at it. */
function contentTypeOf(name: string, text: boolean): string {
  if (name.endsWith('.json')) return 'application/json';
  if (name.endsWith('.jsonl')) return 'application/x-ndjson';
  return text ? 'text/plain; charset=utf-8' : 'application/octet-stream';
}
