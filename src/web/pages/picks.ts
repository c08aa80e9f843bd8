/**
 * The movie picker page. Without JavaScript the selection is a draft in the session: Add and Remove post a movie id
 * and come back to the search; "Save picks" posts the selection (hidden inputs) and saves it through the picks
 * service. /static/picker.js edits the same hidden inputs in the page instead.
 */
import { Router, type Request, type Response } from 'express';
import { ValidationError } from '../../services/errors.js';
import type { MovieCard } from '../../services/movies.js';
import { movieIdText } from '../../services/movies-input.js';
import { PICKS } from '../../services/picks-input.js';
import { requireUserPage } from '../middleware/auth.js';
import { sessionUser, setNotice } from '../session-user.js';
import type { Services } from '../deps.js';
import { formFields } from './form.js';

declare module 'express-session' {
  interface SessionData {
    /** The picker's unsaved selection (no-JavaScript flow), movie ids in the order added. */
    pickDraft: number[];
  }
}

/** Matches listed on the page without JavaScript. */
const RESULTS_ON_PAGE = 20;

interface PickerView {
  q: string;
  selection: MovieCard[];
  error?: string;
}

export function pickerPages({ movies, picks }: Pick<Services, 'movies' | 'picks'>): Router {
  const router = Router();

  /** The draft, or the saved picks when there is none yet. */
  const draftOf = async (req: Request): Promise<number[]> => req.session.pickDraft ?? (await picks.get(sessionUser(req)!.id)).movieIds;

  const show = (res: Response, { q, selection, error }: PickerView) => {
    let results: MovieCard[] = [];
    let searchError: string | undefined;
    try {
      results = movies.search({ q, limit: String(RESULTS_ON_PAGE) });
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      searchError = err.issues?.[0]?.message ?? err.message;
    }
    res.render('picks', { title: 'Pick movies', q, results, searchError, selection, error, min: PICKS.min, max: PICKS.max });
  };

  /** Back to the picker, keeping the search. */
  const back = (res: Response, q: string | undefined) => res.redirect(303, q ? `/picks?q=${encodeURIComponent(q)}` : '/picks');

  router.get('/picks', requireUserPage, async (req, res) => {
    const q = typeof req.query.q === 'string' ? req.query.q : '';
    show(res, { q, selection: movies.cards(await draftOf(req)) });
  });

  router.post('/picks/add', requireUserPage, async (req, res) => {
    const { movieId, q } = formFields(req.body, ['movieId', 'q']);
    const id = movieIdText.safeParse(movieId);
    const draft = await draftOf(req);
    if (!id.success || !movies.has(id.data)) setNotice(req, 'That movie is not in the catalog.');
    else if (draft.length >= PICKS.max) setNotice(req, `You have ${PICKS.max} picks already: remove one first.`);
    else if (!draft.includes(id.data)) req.session.pickDraft = [...draft, id.data];
    back(res, q);
  });

  router.post('/picks/remove', requireUserPage, async (req, res) => {
    const { movieId, q } = formFields(req.body, ['movieId', 'q']);
    const id = movieIdText.safeParse(movieId);
    const draft = await draftOf(req);
    if (id.success) req.session.pickDraft = draft.filter((m) => m !== id.data);
    back(res, q);
  });

  router.post('/picks', requireUserPage, async (req, res) => {
    const movieIds = postedIds((req.body as Record<string, unknown> | undefined)?.movieIds);
    try {
      await picks.save(sessionUser(req)!.id, { movieIds });
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      // The page shows what was posted (the movies the catalog knows), with the problem next to the field.
      const kept = [...new Set(movieIds.filter((id): id is number => typeof id === 'number' && movies.has(id)))];
      req.session.pickDraft = kept;
      res.status(400);
      show(res, { q: '', selection: movies.cards(kept), error: (err.issues ?? []).map((i) => i.message).join(' ') || err.message });
      return;
    }
    delete req.session.pickDraft;
    setNotice(req, 'Your picks are saved. Here are your first twelve recommendations.');
    res.redirect(303, '/recommendations/quick');
  });

  return router;
}

/** A form's repeated `movieIds` fields: digits become numbers, anything else stays text for the validation to name. */
function postedIds(value: unknown): unknown[] {
  const values: unknown[] = value === undefined ? [] : Array.isArray(value) ? value : [value];
  return values.map((v) => (typeof v === 'string' && /^\d{1,15}$/.test(v) ? Number(v) : v));
}
