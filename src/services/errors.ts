/** The errors services throw on purpose: ServiceError (src/errors.ts) with a code per kind of failure. */
import type { ZodError } from 'zod';
import { ServiceError, type FieldIssue } from '../errors.js';

export { ServiceError, type FieldIssue, type ServiceErrorCode } from '../errors.js';

/** Input that breaks a rule; `issues` names each field and why. */
export class ValidationError extends ServiceError {
  constructor(issues: FieldIssue[], message = 'Some fields are not valid.') {
    super('invalid_input', message, { issues });
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
    super('conflict', message, { issues });
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

/** No model is loaded yet (the first training has not finished): quick recommendations cannot be computed. */
export class ModelUnavailableError extends ServiceError {
  constructor() {
    super('model_unavailable', 'Recommendations are not available yet: the first model is still being trained. Try again in a minute.', {
      retryAfterSeconds: 30,
    });
    this.name = 'ModelUnavailableError';
  }
}
