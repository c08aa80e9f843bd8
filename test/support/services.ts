/**
 * The app's real services for tests (src/bootstrap/services.ts), over the store a test gives and the real MovieLens
 * catalog, best movies and insights (loaded once per process). No model unless a test puts one in.
 */
import type { Config } from '../../src/config.js';
import { buildServices, type ServiceParts, type Services } from '../../src/bootstrap/services.js';
import { createInsights, type Insights } from '../../src/insights/insights.js';
import type { Logger } from '../../src/log.js';
import { CurrentModel } from '../../src/services/current-model.js';
import { createDiscovery, type Discovery } from '../../src/services/discovery.js';
import type { Store } from '../../src/store/index.js';
import { loadMovieLens, smallBestMovies } from './small-model.js';

export type TestServiceOptions = Partial<Omit<ServiceParts, 'config' | 'store' | 'logger' | 'catalog' | 'bestMovies'>>;

let insights: Promise<Insights> | undefined;

export async function testServices(config: Config, store: Store, logger: Logger, options: TestServiceOptions = {}): Promise<Services> {
  const { dataset, catalog } = await loadMovieLens();
  insights ??= Promise.resolve(createInsights(dataset));
  return buildServices({
    config,
    store,
    logger,
    catalog,
    bestMovies: await smallBestMovies(),
    insights: options.insights ?? (await insights),
    currentModel: options.currentModel ?? new CurrentModel(),
    evaluationReport: options.evaluationReport,
    onPicksChanged: options.onPicksChanged ?? (() => {}),
    tick: options.tick ?? null,
    now: options.now,
  });
}

/** The services' re-ranking over the same catalog, so a test can state which stored candidates a page must show. */
export async function testDiscovery(): Promise<Discovery> {
  const { catalog } = await loadMovieLens();
  return createDiscovery(catalog, 'itemsim');
}
