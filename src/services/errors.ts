/**
 * The errors services throw on purpose. Each has a stable `code`; the web layer maps codes to HTTP statuses
 * (src/web/http-status.ts), so services never mention HTTP.
 */
import type { ZodError } from 'zod';

/** One problem with one input field: what pages show next to the field and the API lists under `issues`. */
export interface FieldIssue {
  field: string;
  message: string;
}

export type ServiceErrorCode = 'invalid_input' | 'conflict' | 'invalid_credentials' | 'not_found';

export class ServiceError extends Error {
  readonly code: ServiceErrorCode;
  /** Safe to show to the user as is. */
  readonly issues: FieldIssue[] | undefined;

  constructor(code: ServiceErrorCode, message: string, issues?: FieldIssue[]) {
    super(message);
    this.name = 'ServiceError';
    this.code = code;
    this.issues = issues;
  }
}

/** Input that breaks a rule; `issues` names each field and why. */
export class ValidationError extends ServiceError {
  constructor(issues: FieldIssue[], message = 'Some fields are not valid.') {
    super('invalid_input', message, issues);
    this.name = 'ValidationError';
  }

  /** One issue per field (the first zod reports), in the order the fields failed. */
  static fromZod(error: ZodError): ValidationError {
    const byField = new Map<string, string>();
    for (const issue of error.issues) {
      const field = issue.path.length > 0 ? issue.path.join('.') : 'body';
      if (!byField.has(field)) byField.set(field, issue.message);
    }
    return new ValidationError([...byField].map(([field, message]) => ({ field, message })));
  }
}

/** The thing exists already (a taken username). */
export class ConflictError extends ServiceError {
  constructor(message: string, issues?: FieldIssue[]) {
    super('conflict', message, issues);
    this.name = 'ConflictError';
  }
}

/** Any failed log-in: the same message whatever the reason, so it reveals nothing about which accounts exist. */
export class InvalidCredentialsError extends ServiceError {
  constructor() {
    super('invalid_credentials', 'Wrong username or password.');
    this.name = 'InvalidCredentialsError';
  }
}

export class NotFoundError extends ServiceError {
  constructor(message: string) {
    super('not_found', message);
    this.name = 'NotFoundError';
  }
}
