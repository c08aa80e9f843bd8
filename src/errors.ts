/**
 * The errors any layer raises on purpose for a caller to see. Each has a stable `code`; the web layer maps codes to
 * HTTP answers once (src/web/problem.ts), so neither the store nor the services mention HTTP. Beside config and log
 * so that the store, the services and the web layer can all import it.
 */

/** One problem with one input field: what pages show next to the field and the API lists under `issues`. */
export interface FieldIssue {
  field: string;
  message: string;
}

export type ServiceErrorCode =
  | 'invalid_input'
  | 'conflict'
  | 'invalid_credentials'
  | 'not_found'
  /** A backend (the store) does not answer: try again shortly. */
  | 'service_unavailable'
  /** No model is in service yet: try again once the first training is done. */
  | 'model_unavailable';

export class ServiceError extends Error {
  readonly code: ServiceErrorCode;
  /** Safe to show to the user as is. */
  readonly issues: FieldIssue[] | undefined;
  /** For the unavailable codes: when trying again makes sense. */
  readonly retryAfterSeconds: number | undefined;

  constructor(code: ServiceErrorCode, message: string, options: { issues?: FieldIssue[]; retryAfterSeconds?: number; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ServiceError';
    this.code = code;
    this.issues = options.issues;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}
