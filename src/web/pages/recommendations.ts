/**
 * The recommendation pages: the quick 12, and the full 48 or the notify page that waits for them. Both show the
 * "familiar ↔ discover" control: a form posting to /settings/discovery, which saves the step and comes back here.
 */
import { Router } from 'express';
import type { Posters } from '../../posters/posters.js';
import { DISCOVERY_STEP_LABELS, DISCOVERY_STEPS, type DiscoveryStep } from '../../services/discovery.js';
import { ConflictError } from '../../services/errors.js';
import type { WebContext } from '../context.js';
import { requireUserPage } from '../middleware/auth.js';
import { sessionUser } from '../session-user.js';
import { providePosters } from './poster-urls.js';
import { provideReactionButtons } from './reactions.js';

/** What the control partial needs: the steps, their labels, the one in use and where to come back to. */
export function discoveryControl(current: DiscoveryStep, returnTo: string) {
  return { current, returnTo, steps: DISCOVERY_STEPS.map((step) => ({ step, label: DISCOVERY_STEP_LABELS[step] })) };
}

/** Without JavaScript, the notify page reloads itself this often (with it, notify.js polls and reloads once). */
export const NOTIFY_REFRESH_SECONDS = 5;

export function recommendationPages(
  { quick, full, store, reactions }: Pick<WebContext, 'quick' | 'full' | 'store' | 'reactions'>,
  posters: Posters,
): Router {
  const router = Router();

  router.get('/recommendations/quick', requireUserPage, async (req, res) => {
    try {
      const userId = sessionUser(req)!.id;
      const list = await quick.forUser(userId);
      // The page says where the 48 stand: being worked out, ready, or failed.
      const fullState = (await store.getUserStatus(userId))?.state ?? 'none';
      await providePosters(res, posters, list.items.map((item) => item.movie.id));
      await provideReactionButtons(res, reactions, req, '/recommendations/quick');
      res.render('quick-recommendations', {
        title: 'Quick recommendations',
        items: list.items,
        basis: list.basis,
        unratedPicks: list.unratedPicks,
        hasPicks: true,
        fullState,
        discovery: discoveryControl(list.discoveryStep, '/recommendations/quick'),
      });
    } catch (err) {
      // No picks yet: an empty state that says what to do, not an error.
      if (!(err instanceof ConflictError)) throw err;
      res.render('quick-recommendations', { title: 'Quick recommendations', items: [], hasPicks: false, fullState: 'none' });
    }
  });

  router.get('/recommendations', requireUserPage, async (req, res) => {
    const view = await full.forUser(sessionUser(req)!.id);
    // The notify page must not be cached: it is polled and reloaded until it turns into the recommendations.
    res.set('Cache-Control', 'no-store');
    // Results shown while a reaction's run is due too: the user keeps their 48, minus what they reacted to.
    if (view.items) {
      await providePosters(res, posters, view.items.map((item) => item.movie.id));
      await provideReactionButtons(res, reactions, req, '/recommendations');
      res.render('recommendations', {
        title: 'My recommendations',
        items: view.items,
        discovery: discoveryControl(view.discoveryStep, '/recommendations'),
      });
      return;
    }
    const waiting = view.state === 'pending' || view.state === 'running';
    res.render('notify', { title: 'My recommendations', view, refreshSeconds: waiting ? NOTIFY_REFRESH_SECONDS : null });
  });

  return router;
}
