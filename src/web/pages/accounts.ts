/** The account pages: sign up, log in, log out. Forms work without JavaScript; problems show next to their field. */
import { Router, type Response } from 'express';
import { ConflictError, InvalidCredentialsError, ValidationError } from '../../services/errors.js';
import type { WebContext } from '../context.js';
import { localPath } from '../local-path.js';
import { problemOf } from '../problem.js';
import { regenerate, sessionUser, setNotice, startUserSession } from '../session-user.js';
import { fieldErrors, formFields } from './form.js';

interface FormView {
  values?: Record<string, string | undefined>;
  errors?: Record<string, string>;
  formError?: string;
}

/** Where a new account starts: choosing the movies its recommendations come from. */
const AFTER_SIGN_UP = '/picks';

const showSignUp = (res: Response, view: FormView = {}) => res.render('signup', { title: 'Sign up', values: {}, errors: {}, ...view });
/** `next`: the local page to come back to after logging in (a guarded page sent the visitor here), or null. */
const showLogIn = (res: Response, next: string | null, view: FormView = {}) =>
  res.render('login', { title: 'Log in', values: {}, errors: {}, next, ...view });

/** The page the log-in form (or the address) asks to come back to, when it is on this site. */
const nextOf = (value: unknown): string | null => {
  const next = localPath(value);
  // Coming back to the log-in or sign-up page itself would only send the user home again.
  return next === null || /^\/(login|signup)(\?|$)/.test(next) ? null : next;
};

export function accountPages({ accounts, rateLimits }: WebContext): Router {
  const router = Router();

  router.get('/signup', (req, res) => {
    if (sessionUser(req)) return res.redirect(303, '/');
    showSignUp(res);
  });

  router.post('/signup', rateLimits.signUp, async (req, res) => {
    const form = formFields(req.body, ['username', 'email', 'password']);
    try {
      const user = await accounts.signUp(form);
      await startUserSession(req, user);
      setNotice(req, `Welcome to MovieHunter, ${user.username}!`);
      res.redirect(303, AFTER_SIGN_UP);
    } catch (err) {
      if (!(err instanceof ValidationError || err instanceof ConflictError)) throw err;
      // The password is never sent back into the page.
      res.status(problemOf(err).status);
      showSignUp(res, { values: { username: form.username, email: form.email }, errors: fieldErrors(err.issues) });
    }
  });

  router.get('/login', (req, res) => {
    const next = nextOf(req.query.next);
    if (sessionUser(req)) return res.redirect(303, next ?? '/');
    showLogIn(res, next);
  });

  router.post('/login', ...rateLimits.logIn, async (req, res) => {
    const form = formFields(req.body, ['username', 'password', 'next']);
    const next = nextOf(form.next);
    try {
      const user = await accounts.logIn({ username: form.username, password: form.password });
      await startUserSession(req, user);
      setNotice(req, `Welcome back, ${user.username}.`);
      res.redirect(303, next ?? '/');
    } catch (err) {
      if (!(err instanceof ValidationError || err instanceof InvalidCredentialsError)) throw err;
      res.status(problemOf(err).status);
      const formError = err instanceof InvalidCredentialsError ? err.message : undefined;
      showLogIn(res, next, { values: { username: form.username }, errors: fieldErrors(err.issues), formError });
    }
  });

  router.post('/logout', async (req, res) => {
    if (sessionUser(req)) {
      // A fresh session (the old one is deleted from the store) just to carry the notice.
      await regenerate(req);
      setNotice(req, 'You are logged out.');
    }
    res.redirect(303, '/');
  });

  return router;
}
