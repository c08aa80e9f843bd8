/**
 * Calls to the Dataproc API, each bounded in time: one attempt with a deadline (the client library's own retries,
 * which may go on for minutes, are off), retried a couple of times only when the service could not be reached.
 * Every failure becomes a DataprocApiError: one readable line naming the method and the gRPC status, never the
 * request's credentials.
 */

/** The gRPC status codes this engine tells apart (google.rpc.Code). */
export const Code = {
  OK: 0,
  CANCELLED: 1,
  UNKNOWN: 2,
  INVALID_ARGUMENT: 3,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  PERMISSION_DENIED: 7,
  RESOURCE_EXHAUSTED: 8,
  FAILED_PRECONDITION: 9,
  ABORTED: 10,
  OUT_OF_RANGE: 11,
  UNIMPLEMENTED: 12,
  INTERNAL: 13,
  UNAVAILABLE: 14,
  DATA_LOSS: 15,
  UNAUTHENTICATED: 16,
} as const;

const CODE_NAMES = new Map<number, string>(Object.entries(Code).map(([name, code]) => [code, name]));

/** What each call is given: a deadline and no retries of the client library's own. */
export interface DataprocCallOptions {
  readonly timeout: number;
  readonly retry: { readonly retryCodes: number[] };
}

/** A Dataproc call that failed: `code` is the gRPC status (undefined when the call never reached gRPC). */
export class DataprocApiError extends Error {
  override readonly name = 'DataprocApiError';
  constructor(
    message: string,
    readonly method: string,
    readonly code: number | undefined,
  ) {
    super(message);
  }
}

export function isApiError(err: unknown, code: number): boolean {
  return err instanceof DataprocApiError && err.code === code;
}

/** Errors that asking again will not fix (bad request, no permission, no quota): a run that meets one fails. */
export function isPermanent(err: unknown): boolean {
  if (!(err instanceof DataprocApiError)) return false;
  const permanent: number[] = [Code.INVALID_ARGUMENT, Code.PERMISSION_DENIED, Code.RESOURCE_EXHAUSTED, Code.UNIMPLEMENTED, Code.UNAUTHENTICATED, Code.OUT_OF_RANGE];
  return err.code !== undefined && permanent.includes(err.code);
}

export interface DataprocCallSettings {
  /** Where calls go (host:port), for messages. */
  readonly endpoint: string;
  /** The deadline of one attempt. */
  readonly timeoutMs: number;
  /** Pauses before the next attempt when the API could not be reached (UNAVAILABLE); its length is the retries. */
  readonly retryDelaysMs: readonly number[];
}

export class DataprocCalls {
  constructor(private readonly settings: DataprocCallSettings) {}

  /** Runs one API call (`method` names it in errors); rejects with a DataprocApiError. */
  async call<T>(method: string, fn: (options: DataprocCallOptions) => Promise<T>): Promise<T> {
    const options: DataprocCallOptions = { timeout: this.settings.timeoutMs, retry: { retryCodes: [] } };
    for (let attempt = 0; ; attempt++) {
      try {
        return await fn(options);
      } catch (err) {
        const code = grpcCodeOf(err);
        const delay = this.settings.retryDelaysMs[attempt];
        if (code === Code.UNAVAILABLE && delay !== undefined) {
          await new Promise((resolve) => setTimeout(resolve, delay));
          continue;
        }
        throw toApiError(method, err, this.settings);
      }
    }
  }
}

function grpcCodeOf(err: unknown): number | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'number' && CODE_NAMES.has(code) ? code : undefined;
}

/** One line, no secrets, not too long. */
export function oneLine(text: string, max = 600): string {
  const line = redact(text).replace(/\s+/g, ' ').trim();
  return line.length > max ? `${line.slice(0, max - 1)}…` : line;
}

/** Bearer tokens and OAuth access tokens, should a message ever carry one. */
function redact(text: string): string {
  return text.replace(/(bearer\s+)[^\s,;"']+/gi, '$1[redacted]').replace(/\bya29\.[\w.-]+/g, '[redacted]');
}

function toApiError(method: string, err: unknown, settings: DataprocCallSettings): DataprocApiError {
  const code = grpcCodeOf(err);
  const raw = err instanceof Error ? err.message : String(err);
  // grpc-js prefixes its messages with "<code> <NAME>: "; `details` is the server's own text.
  const details = oneLine(typeof (err as { details?: unknown })?.details === 'string' && (err as { details: string }).details ? (err as { details: string }).details : raw.replace(/^\d+ [A-Z_]+: /, ''));
  const name = code === undefined ? undefined : CODE_NAMES.get(code);
  const prefix = `Dataproc ${method}`;
  switch (code) {
    case undefined:
      return new DataprocApiError(`${prefix} failed: ${details || 'no message'}`, method, undefined);
    case Code.UNAVAILABLE:
      return new DataprocApiError(`${prefix}: UNAVAILABLE: the Dataproc API at ${settings.endpoint} could not be reached (${details})`, method, code);
    case Code.DEADLINE_EXCEEDED:
      return new DataprocApiError(`${prefix}: DEADLINE_EXCEEDED: no answer from ${settings.endpoint} within ${settings.timeoutMs / 1000} s`, method, code);
    case Code.PERMISSION_DENIED:
      return new DataprocApiError(`${prefix}: PERMISSION_DENIED: ${details} (the app's service account needs the Dataproc Editor role, and Service Account User on the workload's service account)`, method, code);
    case Code.UNAUTHENTICATED:
      return new DataprocApiError(`${prefix}: UNAUTHENTICATED: no valid Google credentials (${details})`, method, code);
    case Code.RESOURCE_EXHAUSTED:
      return new DataprocApiError(`${prefix}: RESOURCE_EXHAUSTED (quota?): ${details}`, method, code);
    default:
      return new DataprocApiError(`${prefix}: ${name}: ${details || 'no message'}`, method, code);
  }
}

/** A state enum as its name: the gRPC transport gives names, the REST one numbers. */
export function enumName(value: unknown, names: Readonly<Record<string, number | string>>): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') {
    const name = Object.entries(names).find(([, v]) => v === value)?.[0];
    return name ?? `state ${value}`;
  }
  return 'STATE_UNSPECIFIED';
}
