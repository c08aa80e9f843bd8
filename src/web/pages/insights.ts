/** The insights page (public): the dataset's charts, computed once and kept by the insights service. */
import { Router } from 'express';
import type { Insights } from '../../insights/insights.js';
import { viewFormat } from '../view-format.js';

export function insightsPages(insights: Insights): Router {
  const router = Router();
  router.get('/insights', (_req, res) => {
    res.render('insights', { title: 'Insights', view: insights.view(), format: viewFormat });
  });
  return router;
}
