/** One log line per request with its id (pino-http), and `req.log` bound to that id for everything later. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { pinoHttp } from 'pino-http';
import type { Logger } from '../../log.js';
import { requestId } from './request-id.js';

const PROBES = new Set(['/healthz', '/readyz']);
/** Generated posters: dozens per page of movie cards, each the same small SVG. */
const POSTERS = '/posters/';

export function requestLog(logger: Logger) {
  return pinoHttp<IncomingMessage, ServerResponse>({
    logger,
    genReqId: requestId,
    // Health probes come every few seconds, posters dozens per page: they would drown the rest.
    autoLogging: {
      ignore: (req) => {
        const path = (req.url ?? '').split('?')[0];
        return PROBES.has(path) || path.startsWith(POSTERS);
      },
    },
    // req.log carries only the id, so every later line made with it is short and still traceable.
    quietReqLogger: true,
    customLogLevel: (_req, res, err) => (err || res.statusCode >= 500 ? 'error' : 'info'),
  });
}
