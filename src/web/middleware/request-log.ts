/**
 * One log line per request with its id ("request completed", or "request aborted" when the client left first), and
 * `req.log` bound to that id for everything later. Lean on purpose: the child logger is made only when something logs
 * through it, and the line only when its level is enabled (pino-http made two children and serialized every request,
 * logged or not, which showed under load).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import type { NextFunction } from 'express';
import type { Logger } from '../../log.js';
import { requestId } from './request-id.js';

declare module 'http' {
  interface IncomingMessage {
    /** This request's id (X-Request-Id). */
    id: string;
    /** The app's logger bound to this request's id. */
    log: Logger;
  }
}

const PROBES = new Set(['/healthz', '/readyz']);
/** Generated posters: dozens per page of movie cards, each the same small SVG. */
const POSTERS = '/posters/';

export function requestLog(logger: Logger) {
  return (req: IncomingMessage, res: ServerResponse, next: NextFunction): void => {
    const id = requestId(req, res);
    req.id = id;
    let bound: Logger | undefined;
    // req.log carries only the id, so every later line made with it is short and still traceable.
    Object.defineProperty(req, 'log', { configurable: true, enumerable: false, get: () => (bound ??= logger.child({ reqId: id })) });

    // Health probes come every few seconds, posters dozens per page: they would drown the rest.
    const url = req.url ?? '';
    const path = url.split('?', 1)[0];
    if (PROBES.has(path) || path.startsWith(POSTERS)) return next();

    const started = performance.now();
    const { method } = req;
    const line = (statusCode: number) => ({
      reqId: id,
      req: { id, method, url, remoteAddress: req.socket.remoteAddress },
      res: { statusCode },
      responseTime: Math.round(performance.now() - started),
    });
    const onFinish = () => {
      res.off('close', onClose);
      const level = res.statusCode >= 500 ? 'error' : 'info';
      if (logger.isLevelEnabled(level)) logger[level](line(res.statusCode), 'request completed');
    };
    const onClose = () => {
      res.off('finish', onFinish);
      if (logger.isLevelEnabled('warn')) logger.warn(line(res.statusCode), 'request aborted');
    };
    res.once('finish', onFinish);
    res.once('close', onClose);
    next();
  };
}
