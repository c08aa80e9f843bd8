/** Each request's id: the caller's X-Request-Id when it is sane (so a proxy's id follows the request), else a new one. */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';

// Short and printable only, so a caller cannot forge log lines or bloat them.
const SANE_ID = /^[A-Za-z0-9._:-]{1,128}$/;

/** Picks the id and echoes it back in the X-Request-Id response header; the request log calls it first. */
export function requestId(req: IncomingMessage, res: ServerResponse): string {
  const incoming = req.headers['x-request-id'];
  const id = typeof incoming === 'string' && SANE_ID.test(incoming) ? incoming : randomUUID();
  res.setHeader('X-Request-Id', id);
  return id;
}
