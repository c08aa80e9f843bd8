/** Body parsing with small limits (413 beyond), and JSON only on the API (415 otherwise). */
import express, { type NextFunction, type Request, type Response } from 'express';
import { HttpError } from '../http-error.js';

// Every body this app accepts is small: account forms, up to 50 movie ids.
const BODY_LIMIT = '16kb';
const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export const jsonBody = express.json({ limit: BODY_LIMIT });
// `extended: false`: flat fields only (repeated names become arrays), no nested objects from a form.
export const formBody = express.urlencoded({ extended: false, limit: BODY_LIMIT, parameterLimit: 200 });

/** The API takes JSON: a state-changing request that carries a body of another type is refused before parsing. */
export function requireJsonBody(req: Request, _res: Response, next: NextFunction): void {
  const hasBody = req.headers['transfer-encoding'] !== undefined || (req.headers['content-length'] ?? '0') !== '0';
  if (UNSAFE_METHODS.has(req.method) && hasBody && !req.is('application/json')) {
    next(new HttpError(415, 'unsupported_media_type', 'Send the request body as application/json.'));
    return;
  }
  next();
}
