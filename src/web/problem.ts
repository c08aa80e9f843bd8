/** Turns any error into the one answer users see: status, code, a safe message, field issues. Never a stack. */
import { ServiceError, type FieldIssue, type ServiceErrorCode } from '../errors.js';
import { HttpError } from './http-error.js';

export interface Problem {
  status: number;
  code: string;
  message: string;
  issues?: FieldIssue[];
  retryAfterSeconds?: number;
  /** True when the error was not raised on purpose: it is logged with its stack. */
  unexpected: boolean;
}

/** How each service failure is answered; `message` replaces one that may name internals, `logged` keeps its stack. */
const SERVICE_ANSWERS: Record<ServiceErrorCode, { status: number; message?: string; logged?: boolean }> = {
  invalid_input: { status: 400 },
  invalid_credentials: { status: 401 },
  not_found: { status: 404 },
  conflict: { status: 409 },
  service_unavailable: { status: 503, message: 'The service is unavailable for a moment. Try again shortly.', logged: true },
  model_unavailable: { status: 503 },
};

/** body-parser's error types, so a bad body is the client's fault and not a 500. */
const BODY_ERRORS: Record<string, { status: number; code: string; message: string }> = {
  'entity.too.large': { status: 413, code: 'payload_too_large', message: 'The request body is too large.' },
  'parameters.too.many': { status: 413, code: 'payload_too_large', message: 'The form has too many fields.' },
  'entity.parse.failed': { status: 400, code: 'invalid_json', message: 'The request body is not valid JSON.' },
  'entity.too.deep': { status: 400, code: 'invalid_json', message: 'The request body nests too deeply.' },
  'encoding.unsupported': { status: 415, code: 'unsupported_media_type', message: 'The request body encoding is not supported.' },
  'charset.unsupported': { status: 415, code: 'unsupported_media_type', message: 'The request body charset is not supported.' },
  'request.aborted': { status: 400, code: 'bad_request', message: 'The request was aborted.' },
  'request.size.invalid': { status: 400, code: 'bad_request', message: 'The request body does not match its length.' },
};

export function problemOf(err: unknown): Problem {
  if (err instanceof HttpError) {
    return { status: err.status, code: err.code, message: err.message, retryAfterSeconds: err.retryAfterSeconds, unexpected: false };
  }
  if (err instanceof ServiceError) {
    const answer = SERVICE_ANSWERS[err.code];
    return {
      status: answer.status,
      code: err.code,
      message: answer.message ?? err.message,
      issues: err.issues,
      retryAfterSeconds: err.retryAfterSeconds,
      unexpected: answer.logged === true,
    };
  }
  const type = (err as { type?: unknown } | null)?.type;
  if (typeof type === 'string' && type in BODY_ERRORS) return { ...BODY_ERRORS[type], unexpected: false };
  // Other request errors the libraries mark with a 4xx status (http-errors' convention): a body that does not
  // decompress (body-parser), a path with a broken %-escape (the router). The client's fault: said plainly, no details.
  const { status, expose } = (err ?? {}) as { status?: unknown; expose?: unknown };
  const marked = expose === true || err instanceof URIError;
  if (marked && typeof status === 'number' && Number.isInteger(status) && status >= 400 && status < 500) {
    return { status, code: 'bad_request', message: 'The request could not be read.', unexpected: false };
  }
  return { status: 500, code: 'internal', message: 'Something went wrong on our side.', unexpected: true };
}
