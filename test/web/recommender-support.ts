/** Set-up for the movie and recommendation tests: an app over the real catalog, the small real model, best movies. */
import type request from 'supertest';
import { CurrentModel } from '../../src/services/current-model.js';
import { loadMovieLens, smallBestMovies, smallModel } from '../support/small-model.js';
import { makeApp, type TestApp, type TestAppOptions } from './support.js';

export interface RecommenderApp extends TestApp {
  currentModel: CurrentModel;
  /** How many times onPicksChanged was called. */
  picksChanged: () => number;
}

/** The app with the catalog, best movies and (unless `model: false`) the small model loaded. */
export async function makeRecommenderApp(options: TestAppOptions & { model?: boolean } = {}): Promise<RecommenderApp> {
  const { catalog } = await loadMovieLens();
  const currentModel = new CurrentModel();
  if (options.model !== false) currentModel.replace(await smallModel());
  let changes = 0;
  const t = await makeApp({
    ...options,
    deps: { catalog, currentModel, bestMovies: await smallBestMovies(), onPicksChanged: () => changes++, ...options.deps },
  });
  return { ...t, currentModel, picksChanged: () => changes };
}

/** Five well-known, much-rated movies: Toy Story, Jumanji, Heat, GoldenEye, Braveheart. */
export const FIVE_PICKS = [1, 2, 6, 10, 110];

/** PUT /api/v1/me/picks. */
export function putPicks(agent: request.Agent, token: string, movieIds: unknown) {
  return agent.put('/api/v1/me/picks').set('X-CSRF-Token', token).send({ movieIds });
}

/** A second user, for tests that need two sessions. */
export const bob = { username: 'bob', email: 'bob@example.com', password: 'another long password' };
