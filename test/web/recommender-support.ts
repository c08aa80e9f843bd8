/** Set-up for the movie and recommendation tests: the app with the small real model in service. */
import type request from 'supertest';
import { CurrentModel } from '../../src/services/current-model.js';
import { smallModel } from '../support/small-model.js';
import { makeApp, type TestApp, type TestAppOptions } from './support.js';

export interface RecommenderApp extends TestApp {
  currentModel: CurrentModel;
  /** How many times onPicksChanged was called. */
  picksChanged: () => number;
}

/** The app with (unless `model: false`) the small model loaded, counting picks changes. */
export async function makeRecommenderApp(options: TestAppOptions & { model?: boolean } = {}): Promise<RecommenderApp> {
  const currentModel = new CurrentModel();
  if (options.model !== false) currentModel.replace(await smallModel());
  let changes = 0;
  const t = await makeApp({ ...options, services: { currentModel, onPicksChanged: () => changes++, ...options.services } });
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
