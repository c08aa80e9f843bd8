/**
 * The movie picker page: a poster grid of groups to choose from, a title search, and the selection. The selection is a
 * draft in the session until "Save picks": Add and Remove post a movie id (from the grid, the search or a movie's
 * page) and go back where they came from, or answer JSON when the page's script asks (/static/picker.js toggles in
 * place). "Save picks" posts the selection (hidden inputs) and saves it through the picks service.
 */
import { Router, type Request, type Response } from 'express';
import { ValidationError } from '../../services/errors.js';
import type { MovieCard } from '../../services/movies.js';
import { movieIdText } from '../../services/movies-input.js';
import type { PickerGroup } from '../../services/picker-groups.js';
import { PICKS } from '../../services/picks-input.js';
import { requireUserPage } from '../middleware/auth.js';
import { sessionUser, setNotice, takeNotice } from '../session-user.js';
import type { Services } from '../deps.js';
import { formFields } from './form.js';
import { pickDraftOf } from './pick-draft.js';
import { providePosters } from './poster-urls.js';

/** Matches listed on the page without JavaScript. */
const RESULTS_ON_PAGE = 20;
/** Where Add and Remove may send the user back to: the picker or a movie's page (never another site). */
const RETURN_TO = /^\/(?:picks|movies\/\d{1,10})(?:\?[\w=&%.+-]*)?(?:#[\w-]+)?$/;

interface PickerView {
  q: string;
  selection: MovieCard[];
  groups: PickerGroup[];
  returnTo: string;
  error?: string;
}

export function pickerPages({ movies, picks, pickerGroups, posters }: Pick<Services, 'movies' | 'picks' | 'pickerGroups' | 'posters'>): Router {
  const router = Router();

  const draftOf = (req: Request) => pickDraftOf(req, picks);

  const show = async (res: Response, { q, selection, groups, returnTo, error }: PickerView) => {
    let results: MovieCard[] = [];
    let searchError: string | undefined;
    try {
      results = movies.search({ q, limit: String(RESULTS_ON_PAGE) });
    } catch (err) {
      if (!(err instanceof ValidationError)) throw err;
      searchError = err.issues?.[0]?.message ?? err.message;
    }
    await providePosters(res, posters, groups.flatMap((group) => group.movies.map((movie) => movie.id)));
    res.render('picks', { title: 'Pick movies', q, results, searchError, selection, groups, returnTo, error, min: PICKS.min, max: PICKS.max });
  };

  /** The group opened further by `?group=…&page=…` (its "more" link without JavaScript). */
  const openGroup = (req: Request): { slug: string; page: number } | undefined => {
    const { group, page } = req.query;
    if (typeof group !== 'string' || typeof page !== 'string' || !/^\d{1,3}$/.test(page)) return undefined;
    return { slug: group, page: Number(page) };
  };

  /** Back where the form came from (a checked local path), else the picker keeping the search. */
  const back = (req: Request, res: Response, movieIds: number[], { q, returnTo }: { q?: string; returnTo?: string }) => {
    if (wantsJson(req)) {
      const notice = takeNotice(req);
      res.json({ movieIds, min: PICKS.min, max: PICKS.max, ...(notice ? { notice } : {}) });
      return;
    }
    if (returnTo && RETURN_TO.test(returnTo)) res.redirect(303, returnTo);
    else res.redirect(303, q ? `/picks?q=${encodeURIComponent(q)}` : '/picks');
  };

  router.get('/picks', requireUserPage, async (req, res) => {
    const q = typeof req.query.q === 'string' ? req.query.q : '';
    await show(res, { q, selection: movies.cards(await draftOf(req)), groups: pickerGroups.all(openGroup(req)), returnTo: req.originalUrl });
  });

  // One more page of a group's posters, as HTML for the picker's script to append (the link works without it).
  router.get('/picks/groups/:slug', requireUserPage, async (req, res) => {
    const page = typeof req.query.page === 'string' && /^\d{1,3}$/.test(req.query.page) ? Number(req.query.page) : 0;
    const group = pickerGroups.page(String(req.params.slug), page);
    if (!group) {
      res.status(404).type('text').send('No such page of movies.');
      return;
    }
    await providePosters(res, posters, group.movies.map((movie) => movie.id));
    const picked = new Set(await draftOf(req));
    if (group.more) res.set('X-Next-Page', String(group.page + 1));
    res.render('partials/pick-tiles', { layout: false, group, picked, returnTo: `/picks?group=${group.slug}&page=${group.page}#group-${group.slug}` });
  });

  router.post('/picks/add', requireUserPage, async (req, res) => {
    const { movieId, q, returnTo } = formFields(req.body, ['movieId', 'q', 'returnTo']);
    const id = movieIdText.safeParse(movieId);
    let draft = await draftOf(req);
    if (!id.success || !movies.has(id.data)) setNotice(req, 'That movie is not in the catalog.');
    else if (draft.includes(id.data)) {
      // Picked already (another tab, a second tap): nothing to do.
    } else if (draft.length >= PICKS.max) setNotice(req, `You have ${PICKS.max} picks already: remove one first.`);
    else req.session.pickDraft = draft = [...draft, id.data];
    back(req, res, draft, { q, returnTo });
  });

  router.post('/picks/remove', requireUserPage, async (req, res) => {
    const { movieId, q, returnTo } = formFields(req.body, ['movieId', 'q', 'returnTo']);
    const id = movieIdText.safeParse(movieId);
    let draft = await draftOf(req);
    if (id.success) req.session.pickDraft = draft = draft.filter((m) => m !== id.data);
    back(req, res, draft, { q, returnTo });
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
      await show(res, {
        q: '',
        selection: movies.cards(kept),
        groups: pickerGroups.all(),
        returnTo: '/picks',
        error: (err.issues ?? []).map((i) => i.message).join(' ') || err.message,
      });
      return;
    }
    delete req.session.pickDraft;
    setNotice(req, 'Your picks are saved. Here are your first twelve recommendations.');
    res.redirect(303, '/recommendations/quick');
  });

  return router;
}

/** The picker's script asks for JSON (fetch with Accept: application/json); forms get a redirect. */
function wantsJson(req: Request): boolean {
  return req.accepts(['html', 'json']) === 'json';
}

/** A form's repeated `movieIds` fields: digits become numbers, anything else stays text for the validation to name. */
function postedIds(value: unknown): unknown[] {
  const values: unknown[] = value === undefined ? [] : Array.isArray(value) ? value : [value];
  return values.map((v) => (typeof v === 'string' && /^\d{1,15}$/.test(v) ? Number(v) : v));
}
