/** Stable codes so the web layer can map store errors to HTTP answers without instanceof chains. */
export type StoreErrorCode =
  | 'invalid_input'
  | 'username_taken'
  | 'user_not_found'
  | 'run_exists'
  | 'run_not_found'
  | 'run_not_active'
  | 'store_unavailable'
  | 'schema_unsupported';

/** Base of every error the store throws on purpose. */
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

/** The store cannot be reached (closed, or the backend does not answer). */
export class StoreUnavailableError extends StoreError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('store_unavailable', message, options);
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
