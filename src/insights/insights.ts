/** The insights of one dataset: figures and charts computed on first use, then kept (they never change). */
import type { Movie, RatingsMatrix } from '../catalog/types.js';
import { insightCharts, type ChartView } from './charts.js';
import { insightsFigures, type InsightsFigures, type InsightsOptions } from './figures.js';

export interface InsightsView {
  readonly totals: InsightsFigures['totals'];
  readonly charts: readonly ChartView[];
}

export interface Insights {
  view(): InsightsView;
}

export function createInsights(dataset: { readonly ratings: RatingsMatrix; readonly movies: readonly Movie[] }, options: InsightsOptions = {}): Insights {
  let made: InsightsView | null = null;
  return {
    view() {
      if (made === null) {
        const figures = insightsFigures(dataset.ratings, dataset.movies, options);
        made = { totals: figures.totals, charts: insightCharts(figures) };
      }
      return made;
    },
  };
}
