/**
 * The one error middleware: API paths answer `{"error": {code, message, issues?}}`, pages a friendly error page.
 * Unexpected errors are logged with the request id; users never see a stack.
 */
import type { ErrorRequestHandler, NextFunction, Request, Response } from 'express';
import { HttpError } from '../http-error.js';
import { problemOf, type Problem } from '../problem.js';

const JSON_PATHS = /^\/(api|internal)(\/|$)|^\/(healthz|readyz)$/;

export function isApiRequest(req: Request): boolean {
  return JSON_PATHS.test(req.baseUrl + req.path); // baseUrl: a router mounted at /api sees only the rest
}

/** The last route: nothing matched. */
export function notFound(req: Request, _res: Response, next: NextFunction): void {
  next(new HttpError(404, 'not_found', isApiRequest(req) ? 'No such resource.' : 'There is no page at this address.'));
}

export const handleErrors: ErrorRequestHandler = (err: unknown, req, res, _next) => {
  const problem = problemOf(err);
  if (problem.unexpected) req.log.error({ err }, 'request failed');
  if (res.headersSent) {
    // Too late for another answer: express-session saves the session as the response ends, so a store that fails then
    // reports here after the answer has gone out. Logged above; a response cut short is cut off so the client knows.
    // (Express's own handler would print the raw stack to stderr, outside the logs.)
    if (!problem.unexpected) req.log.warn({ err }, 'request failed after its answer was sent');
    if (!res.writableEnded) res.destroy();
    return;
  }
  if (problem.retryAfterSeconds !== undefined) res.setHeader('Retry-After', String(problem.retryAfterSeconds));
  res.status(problem.status);
  if (isApiRequest(req)) {
    res.json({ error: errorBody(problem) });
    return;
  }
  res.render(problem.status === 404 ? 'not-found' : 'error', { title: titleOf(problem), problem }, (renderErr, html) => {
    if (renderErr) {
      req.log.error({ err: renderErr }, 'error page failed to render');
      res.type('text/plain').send(problem.message);
      return;
    }
    res.send(html);
  });
};

function errorBody({ code, message, issues }: Problem) {
  return issues ? { code, message, issues } : { code, message };
}

function titleOf({ status }: Problem): string {
  if (status === 404) return 'Page not found';
  if (status === 403) return 'Not allowed';
  if (status === 429) return 'Too many attempts';
  if (status === 503) return 'Unavailable for a moment';
  return status >= 500 ? 'Something went wrong' : 'That did not work';
}
