/** The recommendation pages: the quick 12, and the full 48 or the notify page that waits for them. */
import { Router } from 'express';
import type { Posters } from '../../posters/posters.js';
import { ConflictError } from '../../services/errors.js';
import type { Services } from '../deps.js';
import { requireUserPage } from '../middleware/auth.js';
import { sessionUser } from '../session-user.js';
import { providePosters } from './poster-urls.js';
import { reactionButtons } from './reactions.js';

export function recommendationPages({ quick, full, reactions }: Pick<Services, 'quick' | 'full' | 'reactions'>, posters: Posters): Router {
  const router = Router();

  router.get('/recommendations/quick', requireUserPage, async (req, res) => {
    try {
      const items = await quick.forUser(sessionUser(req)!.id);
      await providePosters(res, posters, items.map((item) => item.movie.id));
      res.render('quick-recommendations', { title: 'Quick recommendations', items, hasPicks: true, reactions: await reactionButtons(reactions, req, '/recommendations/quick') });
    } catch (err) {
      // No picks yet: an empty state that says what to do, not an error.
      if (!(err instanceof ConflictError)) throw err;
      res.render('quick-recommendations', { title: 'Quick recommendations', items: [], hasPicks: false });
    }
  });

  router.get('/recommendations', requireUserPage, async (req, res) => {
    const view = await full.forUser(sessionUser(req)!.id);
    // The notify page must not be cached: it is polled and reloaded until it turns into the recommendations.
    res.set('Cache-Control', 'no-store');
    // Results shown while a reaction's run is due too: the user keeps their 48, minus what they reacted to.
    if (view.items) {
      await providePosters(res, posters, view.items.map((item) => item.movie.id));
      res.render('recommendations', { title: 'My recommendations', items: view.items, reactions: await reactionButtons(reactions, req, '/recommendations') });
      return;
    }
    res.render('notify', { title: 'My recommendations', view });
  });

  return router;
}
