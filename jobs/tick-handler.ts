/** The HTTP side of the Cloud Scheduler target: POST only, a verified caller, one tick, its report as JSON. */
import type { Request, Response } from 'express';
import type { Logger } from '../src/log.js';
import type { TickReport } from '../src/pipeline/tick.js';
import { CallerRefused } from './oidc.js';

export interface TickHandlerDeps {
  /** Resolves with the caller's identity, rejects with CallerRefused. */
  readonly verify: (authorization: string | undefined) => Promise<string>;
  readonly tick: () => Promise<TickReport>;
  readonly logger: Logger;
}

export function createTickHandler({ verify, tick, logger }: TickHandlerDeps) {
  return async (req: Request, res: Response): Promise<void> => {
    if (req.method !== 'POST') {
      res.set('Allow', 'POST').status(405).json(problem('method_not_allowed', 'Use POST.'));
      return;
    }
    let caller: string;
    try {
      caller = await verify(req.get('authorization'));
    } catch (err) {
      if (err instanceof CallerRefused) {
        logger.warn({ status: err.status, reason: err.message }, 'tick refused');
        if (err.status === 401) res.set('WWW-Authenticate', 'Bearer');
        res.status(err.status).json(problem(err.status === 401 ? 'unauthenticated' : 'forbidden', err.message));
      } else {
        logger.error({ err }, 'could not verify the caller');
        res.status(503).json(problem('unavailable', 'The caller could not be verified right now; try again.'));
      }
      return;
    }
    try {
      const report = await tick();
      logger.info({ caller, report }, 'tick done');
      res.status(200).json(report);
    } catch (err) {
      // The tick is idempotent: Cloud Scheduler's retry (or the next call) picks up where this one stopped.
      logger.error({ err }, 'tick failed');
      res.status(500).json(problem('tick_failed', 'The tick failed; it is safe to call again.'));
    }
  };
}

function problem(code: string, message: string) {
  return { error: { code, message } };
}
