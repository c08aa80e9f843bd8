/** Liveness (`/healthz`: the process answers) and readiness (`/readyz`: every check passes, the store first). */
import { Router } from 'express';
import type { Logger } from '../log.js';

/** One readiness condition beyond the store's ping ("model loaded"): Services.readiness. */
export interface ReadinessCheck {
  name: string;
  /** Resolves when ready; throws or rejects when not. */
  readonly check: () => Promise<void> | void;
}

// A probe must answer even when a backend hangs.
const CHECK_TIMEOUT_MS = 2000;

export function healthRouter(checks: readonly ReadinessCheck[], logger: Logger): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ ok: true });
  });
  router.get('/readyz', async (_req, res) => {
    const results = await Promise.all(
      checks.map(async ({ name, check }) => {
        try {
          await withTimeout(Promise.resolve().then(check), CHECK_TIMEOUT_MS);
          return [name, 'ok'] as const;
        } catch (err) {
          logger.warn({ err, check: name }, 'readiness check failed');
          return [name, 'failed'] as const;
        }
      }),
    );
    const ok = results.every(([, status]) => status === 'ok');
    res.status(ok ? 200 : 503).json({ ok, checks: Object.fromEntries(results) });
  });
  return router;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
