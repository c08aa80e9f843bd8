/**
 * Rate limits on sign-up and log-in. Log-in failures count per address (express-rate-limit, every account together),
 * per account and address (so one address cannot keep guessing one account), and per account from every address with
 * an exponential back-off that spares the addresses the owner logs in from: strangers are slowed, the owner is never
 * locked out. Made once per app; API and pages share them.
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { rateLimit } from 'express-rate-limit';
import type { Config } from '../../config.js';
import type { Logger } from '../../log.js';
import { usernameKey } from '../../store/index.js';
import { AccountBackoff } from '../account-backoff.js';
import { AttemptLimiter } from '../attempt-limiter.js';
import { HttpError } from '../http-error.js';

export interface RateLimits {
  signUp: RequestHandler;
  /** The log-in limits: per address, then per account. */
  logIn: RequestHandler[];
}

const tooMany = (retryAfterSeconds?: number) =>
  new HttpError(429, 'too_many_requests', 'Too many attempts. Wait a few minutes and try again.', { retryAfterSeconds });

export function createRateLimits(config: Config, logger: Logger, now: () => number = Date.now): RateLimits {
  const windowMs = config.RATE_LIMIT_WINDOW_SECONDS * 1000;
  const perAddress = (limit: number, countSuccesses: boolean) =>
    rateLimit({
      windowMs,
      limit,
      skipSuccessfulRequests: !countSuccesses,
      standardHeaders: 'draft-7',
      legacyHeaders: false,
      logger,
      // Retry-After is set already; the error middleware answers in the one error shape.
      handler: (_req: Request, _res: Response, next: NextFunction) => next(tooMany()),
    });
  const limits: AccountLimits = {
    pairs: new AttemptLimiter(config.RATE_LIMIT_LOGIN_PER_ACCOUNT, windowMs),
    accounts: new AccountBackoff(config.RATE_LIMIT_LOGIN_PER_ACCOUNT, windowMs),
  };
  const signUpPerAddress = perAddress(config.RATE_LIMIT_SIGNUP_PER_ADDRESS, true);
  return {
    // The address an account was made from is the owner's, like one they logged in from.
    signUp: (req, res, next) => {
      const account = accountOf(req);
      if (account !== null) res.once('finish', () => res.statusCode < 400 && limits.accounts.recordSuccess(account, req.ip ?? 'unknown'));
      return signUpPerAddress(req, res, next);
    },
    logIn: [perAddress(config.RATE_LIMIT_LOGIN_PER_ADDRESS, false), perAccount(limits, now)],
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
function perAccount({ pairs, accounts }: AccountLimits, now: () => number): RequestHandler {
  return (req, res, next) => {
    const account = accountOf(req);
    if (account === null) return next();
    const address = req.ip ?? 'unknown';
    const pair = `${address} ${account}`;
    const wait = Math.max(pairs.retryAfterSeconds(pair, now()), accounts.retryAfterSeconds(account, address, now()));
    if (wait > 0) return next(tooMany(wait));
    res.once('finish', () => {
      if (res.statusCode === 401) {
        pairs.recordFailure(pair, now());
        accounts.recordFailure(account, now());
      } else if (res.statusCode < 400) {
        pairs.reset(pair);
        accounts.recordSuccess(account, address);
      }
    });
    next();
  };
}
