/**
 * A web worker's side of the cluster (src/bootstrap/cluster.ts): its link to the primary, and the two parts a worker
 * can play. The pipeline worker announces every model it puts in service and runs the ticks and nudges the others
 * hand it; a follower serves the models announced (read from their folders, as the start-up reads one) and hands
 * its nudges and ticks to the pipeline worker, so exactly one tick timer and one engine run however many workers serve.
 */
import cluster from 'node:cluster';
import type { Logger } from '../log.js';
import { readModelAt } from '../pipeline/model-folder.js';
import type { ModelSink } from '../pipeline/model-sink.js';
import type { TickReport } from '../pipeline/tick.js';
import { isMessage, WORKER_ROLE_ENV, type ToPrimary, type ToWorker, type WorkerRole } from './cluster-messages.js';
import type { AppPipeline } from './pipeline.js';

export interface WorkerLink {
  /** node:cluster's worker id (a replaced worker's successor gets a new one). */
  readonly id: number;
  readonly role: WorkerRole;
  send(message: ToPrimary): void;
  onMessage(listener: (message: ToWorker) => void): void;
}

/** This process's link to its primary, or null when it is not a cluster worker. */
export function workerLink(): WorkerLink | null {
  const worker = cluster.worker;
  if (cluster.isPrimary || !worker) return null;
  return {
    id: worker.id,
    role: process.env[WORKER_ROLE_ENV] === 'pipeline' ? 'pipeline' : 'follower',
    send(message) {
      // A primary that is gone takes this worker down with it (node:cluster); nothing to tell it meanwhile.
      if (worker.isConnected()) worker.send(message);
    },
    onMessage(listener) {
      worker.on('message', (message: unknown) => {
        if (isMessage<ToWorker>(message)) listener(message);
      });
    },
  };
}

/** The pipeline worker's model holder: each model put in service is also announced to the followers. */
export function announcingModelSink(sink: ModelSink, link: WorkerLink): ModelSink {
  return {
    replace(model, source) {
      const prepared = sink.replace(model, source);
      if (source) link.send({ type: 'model', location: source.location });
      return prepared;
    },
  };
}

/** The pipeline worker runs the nudges and ticks the followers hand it (through the primary) on its own pipeline. */
export function servePipelineToFollowers(link: WorkerLink, pipeline: () => AppPipeline | null): void {
  link.onMessage((message) => {
    if (message.type === 'nudge') pipeline()?.nudge();
    else if (message.type === 'tick') {
      const { id, from } = message;
      const tick = pipeline()?.tick;
      if (!tick) {
        link.send({ type: 'tick-report', id, to: from, error: 'the pipeline is still starting' });
        return;
      }
      tick().then(
        (report) => link.send({ type: 'tick-report', id, to: from, report }),
        (err: unknown) => link.send({ type: 'tick-report', id, to: from, error: err instanceof Error ? err.message : String(err) }),
      );
    }
  });
}

export interface Follower {
  readonly pipeline: AppPipeline;
  /** Resolves once the first announced model is in service. */
  readonly modelReady: Promise<void>;
}

/** A follower: serves the models the pipeline worker announces and hands it its nudges and ticks. */
export function followPipelineWorker(link: WorkerLink, currentModel: ModelSink, logger: Logger): Follower {
  let loaded: string | null = null;
  let loading = Promise.resolve();
  let ready: () => void = () => {};
  const modelReady = new Promise<void>((resolve) => {
    ready = resolve;
  });
  const ticks = new Map<number, { resolve: (report: TickReport) => void; reject: (err: Error) => void }>();
  let lastTick = 0;

  const load = async (location: string): Promise<void> => {
    if (location === loaded) return;
    try {
      const model = await readModelAt(location);
      currentModel.replace(model, { location });
      loaded = location;
      logger.info({ location, engine: model.engine, trainedAt: model.trainedAt }, 'model in service');
      ready();
    } catch (err) {
      logger.error({ err, location }, 'the announced model cannot be read; keeping the one in service');
    }
  };
  link.onMessage((message) => {
    if (message.type === 'model') {
      // One at a time, in the order announced, so an older model never replaces a newer one.
      loading = loading.then(() => load(message.location));
    } else if (message.type === 'tick-report') {
      const waiting = ticks.get(message.id);
      if (!waiting) return;
      ticks.delete(message.id);
      if (message.error === undefined) waiting.resolve(message.report as TickReport);
      else waiting.reject(new Error(message.error));
    }
  });
  link.send({ type: 'hello' });

  return {
    modelReady,
    pipeline: {
      tick: () =>
        new Promise<TickReport>((resolve, reject) => {
          const id = ++lastTick;
          ticks.set(id, { resolve, reject });
          link.send({ type: 'tick', id });
        }),
      nudge: () => link.send({ type: 'nudge' }),
      async stop() {
        for (const waiting of ticks.values()) waiting.reject(new Error('the web worker is stopping'));
        ticks.clear();
        await loading;
      },
    },
  };
}
