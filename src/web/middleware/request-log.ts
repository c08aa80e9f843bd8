/** One log line per request with its id (pino-http), and `req.log` bound to that id for everything later. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pinoHttp } from 'pino-http';
import type { Logger } from '../../log.js';
import { requestId } from './request-id.js';

const PROBES = new Set(['/healthz', '/readyz']);

export function requestLog(logger: Logger) {
  return pinoHttp<IncomingMessage, ServerResponse>({
    logger,
    genReqId: requestId,
    // Health probes come every few seconds and would drown the rest.
    autoLogging: { ignore: (req) => PROBES.has((req.url ?? '').split('?')[0]) },
    // req.log carries only the id, so every later line made with it is short and still traceable.
    quietReqLogger: true,
    customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : 'info'),
  });
}
