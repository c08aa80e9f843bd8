/** The account pages: sign up, log in, log out. Forms work without JavaScript; problems show next to their field. */
import { Router, type Response } from 'express';
import { ConflictError, InvalidCredentialsError, ValidationError } from '../../services/errors.js';
import type { WebContext } from '../context.js';
import { problemOf } from '../problem.js';
import { regenerate, sessionUser, setNotice, startUserSession } from '../session-user.js';
import { fieldErrors, formFields } from './form.js';

interface FormView {
  values?: Record<string, string | undefined>;
  errors?: Record<string, string>;
  formError?: string;
}

const showSignUp = (res: Response, view: FormView = {}) => res.render('signup', { title: 'Sign up', values: {}, errors: {}, ...view });
const showLogIn = (res: Response, view: FormView = {}) => res.render('login', { title: 'Log in', values: {}, errors: {}, ...view });

export function accountPages({ accounts, rateLimits }: WebContext): Router {
  const router = Router();

  router.get('/signup', (_req, res) => showSignUp(res));

  router.post('/signup', rateLimits.signUp, async (req, res) => {
    const form = formFields(req.body, ['username', 'email', 'password']);
    try {
      const user = await accounts.signUp(form);
      await startUserSession(req, user);
      setNotice(req, `Welcome to MovieHunter, ${user.username}!`);
      res.redirect(303, '/');
    } catch (err) {
      if (!(err instanceof ValidationError || err instanceof ConflictError)) throw err;
      // The password is never sent back into the page.
      res.status(problemOf(err).status);
      showSignUp(res, { values: { username: form.username, email: form.email }, errors: fieldErrors(err.issues) });
    }
  });

  router.get('/login', (_req, res) => showLogIn(res));

  router.post('/login', ...rateLimits.logIn, async (req, res) => {
    const form = formFields(req.body, ['username', 'password']);
    try {
      const user = await accounts.logIn(form);
      await startUserSession(req, user);
      setNotice(req, `Welcome back, ${user.username}.`);
      res.redirect(303, '/');
    } catch (err) {
      if (!(err instanceof ValidationError || err instanceof InvalidCredentialsError)) throw err;
      res.status(problemOf(err).status);
      const formError = err instanceof InvalidCredentialsError ? err.message : undefined;
      showLogIn(res, { values: { username: form.username }, errors: fieldErrors(err.issues), formError });
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
