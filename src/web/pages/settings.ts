/**
 * The "familiar ↔ discover" form of the recommendation pages, without JavaScript: it posts the step, the settings
 * service saves it (bad input: a 400 page naming the field), and the browser goes back to the page it came from.
 */
import { Router } from 'express';
import { DISCOVERY_STEP_LABELS } from '../../services/discovery.js';
import type { Services } from '../deps.js';
import { requireUserPage } from '../middleware/auth.js';
import { sessionUser, setNotice } from '../session-user.js';
import { formFields } from './form.js';

/** The pages the form may return to; anything else goes to the quick recommendations (no open redirect). */
const RETURN_PAGES = new Set(['/recommendations/quick', '/recommendations']);

export function settingsPages({ settings }: Pick<Services, 'settings'>): Router {
  const router = Router();

  router.post('/settings/discovery', requireUserPage, async (req, res) => {
    const { discoveryStep, returnTo } = formFields(req.body, ['discoveryStep', 'returnTo']);
    const saved = await settings.save(sessionUser(req)!.id, { discoveryStep });
    setNotice(req, `Saved: ${DISCOVERY_STEP_LABELS[saved.discoveryStep]}.`);
    res.redirect(303, returnTo !== undefined && RETURN_PAGES.has(returnTo) ? returnTo : '/recommendations/quick');
  });

  return router;
}
