/**
 * Reactions without JavaScript: each card's form posts here and comes back to the page it was on, with a notice; the
 * watchlist page. Bad input (a malformed or unknown movie, a rating outside 1–5) is the error page, nothing stored.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ejs from 'ejs';
import { Router, type Request, type Response } from 'express';
import { NotFoundError, ValidationError } from '../../services/errors.js';
import type { Reactions, ReactionView } from '../../services/reactions.js';
import { requireUserPage } from '../middleware/auth.js';
import { csrfToken, sessionUser, setNotice } from '../session-user.js';
import { formFields } from './form.js';
import { providePosters } from './poster-urls.js';
import type { Posters } from '../../posters/posters.js';
import type { MovieCard } from '../../services/movies.js';
import { viewsDir } from '../views.js';

/** Where a form may send the user back to: a path of this site, nothing else (no open redirect). */
const LOCAL_PATH = /^\/(?![/\\])[A-Za-z0-9/_-]*$/;
const DEFAULT_RETURN = '/recommendations';

export interface ReactionButtons {
  csrf: string;
  returnTo: string;
  byMovie: Map<number, { kind: string; rating: number | null }>;
}

const reactionButtonsFile = join(viewsDir, 'partials', 'reaction-buttons.ejs');
/** Compiled once, like the movie card: it is rendered for every card of a page. */
const renderReactionButtons = ejs.compile(readFileSync(reactionButtonsFile, 'utf8'), { filename: reactionButtonsFile });

/**
 * Gives each card of the page at `returnTo` the user's reaction buttons: movie-grid renders `cardActions(movie)` into
 * the card's actions slot (partials/movie-card.ejs).
 */
export async function provideReactionButtons(res: Response, reactions: Reactions, req: Request, returnTo: string): Promise<void> {
  const state: ReactionButtons = { csrf: csrfToken(req), returnTo, byMovie: await reactions.byMovie(sessionUser(req)!.id) };
  res.locals.cardActions = (movie: MovieCard) => renderReactionButtons({ movie, reactions: state });
}

function noticeOf({ movie, kind, rating }: ReactionView): string {
  const title = `“${movie.title}”`;
  if (kind === 'seen') return `Marked ${title} as seen${rating === null ? '' : ` (${rating} of 5 stars)`}: it will not be recommended again, and your next recommendations learn from it.`;
  if (kind === 'not_interested') return `${title} will not be recommended to you again.`;
  return `Added ${title} to your watchlist.`;
}

export function reactionPages(reactions: Reactions, posters: Posters): Router {
  const router = Router();

  router.post('/reactions/:movieId', requireUserPage, async (req, res) => {
    const { kind, rating, returnTo } = formFields(req.body, ['kind', 'rating', 'returnTo'] as const);
    // The form always sends its rating menu; only "Seen it" takes the rating.
    const saved = await reactions.react(sessionUser(req)!.id, req.params.movieId, { kind, rating: kind === 'seen' ? rating : undefined }).catch((err: unknown) => {
      // The page for a missing page says nothing about movies: a form naming an unknown movie is bad input here.
      throw err instanceof NotFoundError ? new ValidationError([{ field: 'movieId', message: err.message }], `movieId: ${err.message}`) : err;
    });
    setNotice(req, noticeOf(saved));
    res.redirect(303, returnTo !== undefined && LOCAL_PATH.test(returnTo) ? returnTo : DEFAULT_RETURN);
  });

  router.post('/reactions/:movieId/remove', requireUserPage, async (req, res) => {
    const { returnTo } = formFields(req.body, ['returnTo'] as const);
    const removed = await reactions.remove(sessionUser(req)!.id, req.params.movieId);
    setNotice(req, removed ? 'Removed from your watchlist.' : 'That movie was not on your lists.');
    res.redirect(303, returnTo !== undefined && LOCAL_PATH.test(returnTo) ? returnTo : DEFAULT_RETURN);
  });

  router.get('/watchlist', requireUserPage, async (req, res) => {
    const items = await reactions.watchlist(sessionUser(req)!.id);
    await providePosters(res, posters, items.map((item) => item.movie.id));
    await provideReactionButtons(res, reactions, req, '/watchlist');
    res.render('watchlist', { title: 'Watchlist', items });
  });

  return router;
}
