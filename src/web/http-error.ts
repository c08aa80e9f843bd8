/** An error the web layer raises itself (CSRF, body limits, rate limits, 404), carrying its HTTP status. */
export class HttpError extends Error {
  readonly status: number;
  readonly code: string;
  /** Seconds for the Retry-After header (429, 503). */
  readonly retryAfterSeconds: number | undefined;

  constructor(status: number, code: string, message: string, options: { retryAfterSeconds?: number } = {}) {
    super(message);
    this.name = 'HttpError';
    this.status = status;
    this.code = code;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}
