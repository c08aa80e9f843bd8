/** The operations page (admins only, see requireAdminPage): users by state, run history, the model in service. */
import { Router } from 'express';
import type { Operations } from '../../operations/operations.js';
import type { Store } from '../../store/index.js';
import { requireAdminPage } from '../middleware/admin.js';
import { viewFormat } from '../view-format.js';

export function operationsPages(operations: Operations, store: Pick<Store, 'getUser'>): Router {
  const router = Router();
  router.get('/operations', ...requireAdminPage(store), async (_req, res) => {
    const view = await operations.view();
    res.set('Cache-Control', 'no-store');
    res.render('operations', { title: 'Operations', view, format: viewFormat });
  });
  return router;
}
