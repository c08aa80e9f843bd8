/** Stable codes of the store's own errors; an outage is a ServiceError (below), answered like any other service failure. */
import { ServiceError } from '../errors.js';

export type StoreErrorCode =
  | 'invalid_input'
  | 'username_taken'
  | 'user_not_found'
  | 'run_exists'
  | 'run_not_found'
  | 'run_not_active'
  | 'schema_unsupported';

/** Base of the errors the store throws on purpose about its data (an outage is StoreUnavailableError, below). */
export class StoreError extends Error {
  readonly code: StoreErrorCode;

  constructor(code: StoreErrorCode, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StoreError';
    this.code = code;
  }
}

/** An argument the store cannot keep (wrong type, duplicate ids, non-finite score…); nothing was written. */
export class StoreInputError extends StoreError {
  readonly field: string;

  constructor(field: string, problem: string) {
    super('invalid_input', `${field}: ${problem}`);
    this.name = 'StoreInputError';
    this.field = field;
  }
}

export class UsernameTakenError extends StoreError {
  constructor(username: string) {
    super('username_taken', `the username ${JSON.stringify(username)} is taken`);
    this.name = 'UsernameTakenError';
  }
}

export class UserNotFoundError extends StoreError {
  constructor(userId: string) {
    super('user_not_found', `no user ${JSON.stringify(userId)}`);
    this.name = 'UserNotFoundError';
  }
}

export class RunExistsError extends StoreError {
  constructor(runId: string) {
    super('run_exists', `a run ${JSON.stringify(runId)} exists already`);
    this.name = 'RunExistsError';
  }
}

export class RunNotFoundError extends StoreError {
  constructor(runId: string) {
    super('run_not_found', `no run ${JSON.stringify(runId)}`);
    this.name = 'RunNotFoundError';
  }
}

/** The run has finished already: it takes no more users and cannot finish twice. */
export class RunNotActiveError extends StoreError {
  constructor(runId: string, outcome: string) {
    super('run_not_active', `run ${JSON.stringify(runId)} is ${outcome}, not running`);
    this.name = 'RunNotActiveError';
  }
}

/** Seconds a caller waits before trying a store that did not answer again. */
const STORE_RETRY_AFTER_SECONDS = 5;

/**
 * The store cannot be reached (closed, or the backend does not answer). A ServiceError, not a StoreError: every layer
 * above passes it on unchanged and the web layer answers 503. Its message is for the log (paths, hosts), not users.
 */
export class StoreUnavailableError extends ServiceError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('service_unavailable', message, { retryAfterSeconds: STORE_RETRY_AFTER_SECONDS, cause: options?.cause });
    this.name = 'StoreUnavailableError';
  }
}

/** The stored data has a schema this code does not know (written by a newer version). */
export class SchemaUnsupportedError extends StoreError {
  constructor(message: string) {
    super('schema_unsupported', message);
    this.name = 'SchemaUnsupportedError';
  }
}
