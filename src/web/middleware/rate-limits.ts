/**
 * Rate limits on sign-up and log-in. Log-in failures count per address (express-rate-limit, every account together),
 * per account and address (so one address cannot keep guessing one account), and per account from every address with
 * an exponential back-off that spares the addresses the owner logs in from: strangers are slowed, the owner is never
 * locked out. Made once per app; API and pages share them. Every count is kept in the store, so the web processes of
 * one deployment (WEB_WORKERS) limit together.
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { rateLimit } from 'express-rate-limit';
import type { Config } from '../../config.js';
import type { Logger } from '../../log.js';
import { usernameKey, type Store } from '../../store/index.js';
import { AccountBackoff } from '../account-backoff.js';
import { AttemptLimiter } from '../attempt-limiter.js';
import { HttpError } from '../http-error.js';
import { SharedRateLimitStore } from '../rate-limit-store.js';

export interface RateLimits {
  signUp: RequestHandler;
  /** The log-in limits: per address, then per account. */
  logIn: RequestHandler[];
}

const tooMany = (retryAfterSeconds?: number) =>
  new HttpError(429, 'too_many_requests', 'Too many attempts. Wait a few minutes and try again.', { retryAfterSeconds });

export function createRateLimits(config: Config, store: Store, logger: Logger, now: () => number = Date.now): RateLimits {
  const windowMs = config.RATE_LIMIT_WINDOW_SECONDS * 1000;
  const perAddress = (prefix: string, limit: number, countSuccesses: boolean) =>
    rateLimit({
      windowMs,
      limit,
      store: new SharedRateLimitStore(store, prefix, now),
      skipSuccessfulRequests: !countSuccesses,
      standardHeaders: 'draft-7',
      legacyHeaders: false,
      logger,
      // Retry-After is set already; the error middleware answers in the one error shape.
      handler: (_req: Request, _res: Response, next: NextFunction) => next(tooMany()),
    });
  const limits: AccountLimits = {
    pairs: new AttemptLimiter(store, 'pair:', config.RATE_LIMIT_LOGIN_PER_ACCOUNT, windowMs),
    accounts: new AccountBackoff(store, config.RATE_LIMIT_LOGIN_PER_ACCOUNT, windowMs),
  };
  // After the answer: a count that cannot be kept is logged, the request is already answered.
  const afterwards = (work: Promise<void>) => work.catch((err: unknown) => logger.warn({ err }, 'keeping a rate-limit count failed'));
  const signUpPerAddress = perAddress('signup:', config.RATE_LIMIT_SIGNUP_PER_ADDRESS, true);
  return {
    // The address an account was made from is the owner's, like one they logged in from.
    signUp: (req, res, next) => {
      const account = accountOf(req);
      if (account !== null) {
        res.once('finish', () => {
          if (res.statusCode < 400) void afterwards(limits.accounts.recordSuccess(account, req.ip ?? 'unknown', now()));
        });
      }
      return signUpPerAddress(req, res, next);
    },
    logIn: [perAddress('login:', config.RATE_LIMIT_LOGIN_PER_ADDRESS, false), perAccount(limits, now, afterwards)],
  };
}

/** The account named in the body, as the limits key it (the store's comparison), or null. */
function accountOf(req: Request): string | null {
  const body: unknown = req.body;
  const username = typeof body === 'object' && body !== null ? (body as Record<string, unknown>).username : undefined;
  if (typeof username !== 'string' || username.trim() === '') return null;
  return usernameKey(username.trim()).slice(0, 256);
}

interface AccountLimits {
  /** Failures per (account, address) in a window. */
  pairs: AttemptLimiter;
  /** Failures per account from anywhere, with back-off for addresses the owner does not use. */
  accounts: AccountBackoff;
}

/** Counts 401 answers against the account named in the body; a successful log-in clears its address's count. */
function perAccount({ pairs, accounts }: AccountLimits, now: () => number, afterwards: (work: Promise<void>) => Promise<void>): RequestHandler {
  return async (req, res, next) => {
    const account = accountOf(req);
    if (account === null) return next();
    const address = req.ip ?? 'unknown';
    const pair = `${address} ${account}`;
    const [pairWait, accountWait] = await Promise.all([pairs.retryAfterSeconds(pair, now()), accounts.retryAfterSeconds(account, address, now())]);
    const wait = Math.max(pairWait, accountWait);
    if (wait > 0) return next(tooMany(wait));
    // A failure is counted before the 401 leaves, so the next guess, on any worker, already sees it.
    beforeAnswerEnds(res, () =>
      res.statusCode === 401 ? afterwards(Promise.all([pairs.recordFailure(pair, now()), accounts.recordFailure(account, now())]).then(() => {})) : null,
    );
    res.once('finish', () => {
      if (res.statusCode < 400) void afterwards(Promise.all([pairs.reset(pair), accounts.recordSuccess(account, address, now())]).then(() => {}));
    });
    next();
  };
}

/** Runs `work` (when it gives one) when the answer is complete but before its last bytes are sent; then ends it. */
function beforeAnswerEnds(res: Response, work: () => Promise<void> | null): void {
  const end = res.end.bind(res) as (...args: unknown[]) => Response;
  const own = Object.getOwnPropertyDescriptor(res, 'end'); // another middleware's wrapper, if any
  res.end = ((...args: unknown[]) => {
    if (own) Object.defineProperty(res, 'end', own);
    else delete (res as { end?: unknown }).end;
    const pending = work();
    if (pending === null) return end(...args);
    void pending.finally(() => end(...args));
    return res;
  }) as Response['end'];
}
