/** Error middleware for both front ends: "no model loaded yet" is a 503 with a clear message, never a 500. */
import type { ErrorRequestHandler } from 'express';
import { ModelUnavailableError } from '../../services/recommendations-errors.js';
import { HttpError } from '../http-error.js';

export const modelUnavailableAs503: ErrorRequestHandler = (err: unknown, _req, _res, next) => {
  if (err instanceof ModelUnavailableError) next(new HttpError(503, 'model_unavailable', err.message, { retryAfterSeconds: 30 }));
  else next(err);
};
