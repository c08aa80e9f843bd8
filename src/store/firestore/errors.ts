/**
 * Firestore and gRPC failures as the port's errors: a backend that does not answer (or a terminated client) is a
 * StoreUnavailableError, as SQLite's unopenable or closed database is; the store's own typed errors pass through, and
 * anything else (a bug, a missing index, a permission problem) is rethrown as it is.
 */
import { StoreError, StoreUnavailableError } from '../errors.js';

/** gRPC status codes (google.rpc.Code) the adapter looks at. */
export const GrpcCode = {
  CANCELLED: 1,
  DEADLINE_EXCEEDED: 4,
  NOT_FOUND: 5,
  ALREADY_EXISTS: 6,
  RESOURCE_EXHAUSTED: 8,
  ABORTED: 10,
  UNAVAILABLE: 14,
} as const;

/**
 * Codes that mean "try again later": the backend is down or slow (UNAVAILABLE, DEADLINE_EXCEEDED), the call was cut
 * (CANCELLED, e.g. by terminate), it is over quota (RESOURCE_EXHAUSTED), or a transaction lost to contention more
 * often than its attempts allow (ABORTED). The client library has already retried all of these.
 */
const UNAVAILABLE_CODES: ReadonlySet<number> = new Set([
  GrpcCode.CANCELLED,
  GrpcCode.DEADLINE_EXCEEDED,
  GrpcCode.RESOURCE_EXHAUSTED,
  GrpcCode.ABORTED,
  GrpcCode.UNAVAILABLE,
]);

/** The message @google-cloud/firestore rejects with once terminate() was called. */
const TERMINATED = 'The client has already been terminated';

export function grpcCode(err: unknown): number | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'number' ? code : undefined;
}

/** The error a store method rejects with for `err`, which happened while doing `what`. */
export function toStoreError(err: unknown, what: string): unknown {
  if (err instanceof StoreError) return err;
  const message = err instanceof Error ? err.message : String(err);
  const code = grpcCode(err);
  if (code !== undefined && UNAVAILABLE_CODES.has(code)) {
    return new StoreUnavailableError(`Firestore is unavailable (${what}): ${message}`, { cause: err });
  }
  if (message.includes(TERMINATED)) {
    return new StoreUnavailableError(`the Firestore client is terminated (${what})`, { cause: err });
  }
  return err;
}
