/** A movie's page (public): the movie, its tags and ratings, pick/unpick for a signed-in user, and "more like this". */
import { Router } from 'express';
import { PICKS } from '../../services/picks-input.js';
import type { Services } from '../deps.js';
import { logInPath } from '../local-path.js';
import { sessionUser } from '../session-user.js';
import { hasUnsavedDraft, pickDraftOf } from './pick-draft.js';
import { providePosters } from './poster-urls.js';

export function moviePages({ moviePages, picks, posters }: Pick<Services, 'moviePages' | 'picks' | 'posters'>): Router {
  const router = Router();

  router.get('/movies/:id', async (req, res) => {
    const user = sessionUser(req);
    const page = await moviePages.page(req.params.id, user?.id ?? null);
    const draft = user ? await pickDraftOf(req, picks) : null;
    await providePosters(res, posters, [page.movie.id, ...page.moreLikeThis.map((similar) => similar.movie.id)]);
    res.render('movie', {
      title: page.movie.year === null ? page.movie.title : `${page.movie.title} (${page.movie.year})`,
      ...page,
      // null: nobody signed in (the page offers to log in to pick).
      // Log-in comes back to this page.
      logInHref: logInPath(`/movies/${page.movie.id}`),
      picking: draft === null ? null : { picked: draft.includes(page.movie.id), count: draft.length, unsaved: hasUnsavedDraft(req), min: PICKS.min, max: PICKS.max },
    });
  });

  return router;
}
