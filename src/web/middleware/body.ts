/** Body parsing with small limits (413 beyond), nesting at most MAX_JSON_DEPTH deep (400), and JSON only on the API (415 otherwise). */
import type { IncomingMessage } from 'node:http';
import express, { type NextFunction, type Request, type Response } from 'express';
import { HttpError } from '../http-error.js';
import { nestsDeeperThan } from '../json-depth.js';

// Every body this app accepts is small: account forms, up to 50 movie ids.
const BODY_LIMIT = '16kb';
/** No body this app accepts nests more than two levels; 32 leaves room and keeps every walk over a body shallow. */
export const MAX_JSON_DEPTH = 32;
/** Clients already warned about a too-deep body: one warning each, not a line per request; bounded. */
const WARNED_CLIENTS_REMEMBERED = 10_000;
const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/** The error body-parser passes on (verify's error keeps its status and type): answered as 400 in src/web/problem.ts. */
class TooDeepError extends Error {
  readonly status = 400;
  readonly type = 'entity.too.deep';
}

/** JSON bodies; made once per app, so each app remembers the clients it has warned about. */
export function jsonBody() {
  const warnedClients = new Set<string>();
  const refuseDeepJson = (req: IncomingMessage, _res: unknown, buf: Buffer): void => {
    if (!nestsDeeperThan(buf, MAX_JSON_DEPTH)) return;
    const request = req as Request;
    const client = request.ip ?? 'unknown';
    if (!warnedClients.has(client)) {
      if (warnedClients.size >= WARNED_CLIENTS_REMEMBERED) warnedClients.clear();
      warnedClients.add(client);
      request.log.warn({ client, bytes: buf.length }, `refused a JSON body nested deeper than ${MAX_JSON_DEPTH} (further ones from this client are not logged)`);
    }
    throw new TooDeepError('JSON body nested too deeply');
  };
  return express.json({ limit: BODY_LIMIT, verify: refuseDeepJson });
}
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
