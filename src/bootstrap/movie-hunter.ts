/**
 * Everything MovieHunter runs on, built from the config: store, data, catalog, best movies, the model, the embedded
 * pipeline and the app. src/server.ts only adds listening and signals; tests start the same thing on a free port.
 * In a cluster (src/bootstrap/cluster.ts) the pipeline worker runs the pipeline and the background jobs, and every
 * other worker follows it (src/bootstrap/cluster-worker.ts); alone, the process does everything.
 */
import { join, relative } from 'node:path';
import type { Express } from 'express';
import { createApp } from '../app.js';
import { Catalog } from '../catalog/catalog.js';
import { loadDataset } from '../catalog/dataset.js';
import type { Config } from '../config.js';
import { createInsights } from '../insights/insights.js';
import type { Logger } from '../log.js';
import { evaluationReportFile, evaluationReports } from '../operations/evaluation-report.js';
import { repoRoot } from '../paths.js';
import { mostPopularWithTmdb } from '../posters/posters.js';
import { bestMovies } from '../recommend/best-movies.js';
import { CurrentModel } from '../services/current-model.js';
import { openConfiguredStore } from './store.js';
import { startAppPipeline, type AppPipeline } from './pipeline.js';
import { resolveMovielensDir } from './movielens.js';
import { announcingModelSink, followPipelineWorker, servePipelineToFollowers, type WorkerLink } from './cluster-worker.js';
import { buildServices } from './services.js';
import { loadOrCreateSessionSecret } from './session-secret.js';

export interface MovieHunter {
  readonly app: Express;
  /** Resolves once the start-up model is in service (the app answers before, quick recommendations with 503). */
  readonly modelReady: Promise<void>;
  /**
   * Stops the pipeline (no more ticks; a training in progress is interrupted, its users retried at the next start
   * with their attempts unchanged), then the poster look-ups, then closes the store.
   */
  readonly close: () => Promise<void>;
  /** The steps of close() not finished yet (all of them before it is called): what a shutdown cut short left undone. */
  readonly unclosed: () => readonly string[];
}

const SESSION_PRUNE_INTERVAL_MS = 15 * 60_000;
const WARM_POSTERS = 200;

/** `link`: this process is a web worker of a cluster, playing the part the link names; null: it runs alone. */
export async function startMovieHunter(config: Config, logger: Logger, link: WorkerLink | null = null): Promise<MovieHunter> {
  const movielensDir = await resolveMovielensDir({
    configured: config.MOVIELENS_DIR,
    dataDir: config.DATA_DIR,
    log: { info: (message) => logger.info(message), warn: (message) => logger.warn(message) },
  });
  const store = await openConfiguredStore(config);
  const dataset = await loadDataset(movielensDir);
  logger.info({ movielensDir, movies: dataset.movies.length, ratings: dataset.ratings.byUser.indptr[dataset.ratings.byUser.rows] }, 'dataset loaded');
  const catalog = Catalog.of(dataset.movies, dataset.ratings);
  catalog.search('warm up'); // builds the title index now rather than on the first keystroke
  const currentModel = new CurrentModel();
  const evaluationFile = evaluationReportFile(join(repoRoot, 'artifacts'), movielensDir);

  let pipeline: AppPipeline | null = null;
  const services = buildServices({
    config,
    store,
    logger,
    catalog,
    currentModel,
    bestMovies: bestMovies(dataset.ratings, dataset.movies),
    insights: createInsights(dataset),
    evaluationReport: evaluationReports(evaluationFile, relative(repoRoot, evaluationFile)),
    onPicksChanged: () => pipeline?.nudge(),
    // On Google Cloud the tick runs in the scheduler's target (jobs/), not here.
    tick:
      config.ENGINE === 'dataproc'
        ? null
        : async () => {
            if (!pipeline?.tick) throw new Error('the pipeline is still starting');
            return pipeline.tick();
          },
  });
  const { posters } = services;
  const sessionSecret = await loadOrCreateSessionSecret(config.DATA_DIR, config.SESSION_SECRET);
  const app = createApp({ config, store, logger, services, sessionSecret });

  // The background jobs run once per deployment: in the pipeline worker of a cluster.
  const runsBackgroundJobs = link === null || link.role === 'pipeline';
  const pruneSessions = setInterval(() => {
    if (!runsBackgroundJobs) return;
    store.pruneExpiredSessions(Date.now()).catch((err: unknown) => logger.warn({ err }, 'pruning sessions failed'));
    store.pruneExpiredAttempts(Date.now()).catch((err: unknown) => logger.warn({ err }, 'pruning rate-limit counts failed'));
  }, SESSION_PRUNE_INTERVAL_MS);
  pruneSessions.unref();
  // With a TMDB key, the most popular movies' posters are looked up in the background from the start.
  if (runsBackgroundJobs) {
    posters.warm(mostPopularWithTmdb(catalog, WARM_POSTERS)).catch((err: unknown) => logger.warn({ err }, 'warming the poster cache failed'));
  }

  // On Google Cloud every worker follows the model pointer itself; on one machine a follower follows the pipeline worker.
  const follower = link?.role === 'follower' && config.ENGINE !== 'dataproc' ? followPipelineWorker(link, currentModel, logger) : null;
  if (link?.role === 'pipeline') servePipelineToFollowers(link, () => pipeline);
  const pipelineStarted = follower
    ? Promise.resolve().then(() => {
        pipeline = follower.pipeline;
      })
    : startAppPipeline({
        config,
        movielensDir,
        store,
        logger,
        currentModel: link?.role === 'pipeline' ? announcingModelSink(currentModel, link) : currentModel,
      }).then((started) => {
        pipeline = started;
      });

  const closeSteps: [string, () => Promise<void>][] = [
    ['wait for the pipeline to start', () => pipelineStarted.catch(() => undefined)],
    ['stop the pipeline (the tick in flight, then the training)', async () => pipeline?.stop()],
    ['stop the poster look-ups', () => posters.stop()],
    ['close the store', () => store.close()],
  ];
  const unclosed = new Set(closeSteps.map(([name]) => name));
  return {
    app,
    modelReady: follower ? pipelineStarted.then(() => follower.modelReady) : pipelineStarted,
    async close() {
      clearInterval(pruneSessions);
      for (const [name, step] of closeSteps) {
        await step();
        unclosed.delete(name);
      }
    },
    unclosed: () => [...unclosed],
  };
}
