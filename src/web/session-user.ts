/**
 * What a session holds and the moves on it: who is logged in, its CSRF token, log-in (new session id), log-out,
 * one-time notices. The CSRF middleware checks requests against the token kept here (or, without a logged-in user,
 * the stateless one).
 */
import { randomBytes } from 'node:crypto';
import { promisify } from 'node:util';
import type { Request } from 'express';
import type { Role, User } from '../store/index.js';

declare module 'express-session' {
  interface SessionData {
    userId: string;
    username: string;
    csrfToken: string;
    /** The account's role at log-in: only for showing admin links; the operations page checks the store. */
    role: Role;
    /** A message for the next page shown (after a redirect), then gone. */
    notice: string;
  }
}

export interface SessionUser {
  id: string;
  username: string;
}

export function sessionUser(req: Request): SessionUser | null {
  const s = req.session as Request['session'] | undefined;
  return s?.userId && s.username ? { id: s.userId, username: s.username } : null;
}

/** The role the session was started with ('user' when unknown). */
export function sessionRole(req: Request): Role {
  const s = req.session as Request['session'] | undefined;
  return s?.role === 'admin' ? 'admin' : 'user';
}

/** Logs the user in on a new session id (no fixation) and returns the new session's CSRF token. */
export async function startUserSession(req: Request, user: Pick<User, 'id' | 'username'> & Partial<Pick<User, 'role'>>): Promise<string> {
  await regenerate(req);
  req.session.userId = user.id;
  req.session.username = user.username;
  req.session.role = user.role ?? 'user';
  return issueCsrfToken(req);
}

/** Ends the session in the store; the caller clears the cookie or hands out a fresh session. */
export function destroySession(req: Request): Promise<void> {
  return promisify(req.session.destroy.bind(req.session))();
}

/** Replaces the session with a fresh, empty one under a new id. */
export function regenerate(req: Request): Promise<void> {
  return promisify(req.session.regenerate.bind(req.session))();
}

export function setNotice(req: Request, notice: string): void {
  req.session.notice = notice;
}

/** The pending notice, removed so it shows once. */
export function takeNotice(req: Request): string | null {
  const s = req.session as Request['session'] | undefined;
  if (!s?.notice) return null;
  const notice = s.notice;
  delete s.notice;
  return notice;
}

/**
 * The CSRF token for a form or the API: the session's for a logged-in user (made on first use), a stateless one
 * (src/web/anonymous-csrf.ts) for everyone else, so a visitor who only looks creates no session row.
 */
export function csrfToken(req: Request): string {
  const s = req.session as Request['session'] | undefined;
  if (s?.csrfToken) return s.csrfToken;
  if (s && sessionUser(req)) return (s.csrfToken = newCsrfToken());
  return req.anonymousCsrf?.token() ?? '';
}

/** A fresh CSRF token for the session (after log-in), invalidating the old one. */
export function issueCsrfToken(req: Request): string {
  return (req.session.csrfToken = newCsrfToken());
}

function newCsrfToken(): string {
  return randomBytes(32).toString('base64url');
}
