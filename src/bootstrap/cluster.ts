/**
 * The primary of a cluster (WEB_WORKERS > 1): it serves nothing itself. It forks WEB_WORKERS web workers with
 * node:cluster — the first the pipeline worker (the tick timer, the engine, the background jobs), the others
 * followers — relays their messages (src/bootstrap/cluster-messages.ts), replaces a worker that dies (logged), and on
 * SIGTERM or SIGINT sends every worker SIGTERM (each stops within its own shutdown deadline), then exits: 0 when every worker
 * stopped cleanly, 1 otherwise (and at once, killing what is left, on a second signal or past the deadline).
 */
import cluster, { type Worker } from 'node:cluster';
import type { Config } from '../config.js';
import { drainStdout, type Logger } from '../log.js';
import { isMessage, WORKER_ROLE_ENV, type ToPrimary, type ToWorker, type WorkerRole } from './cluster-messages.js';
import { loadOrCreateSessionSecret } from './session-secret.js';
import { LAST_LINES_MS, SHUTDOWN_DEADLINE_MS } from './shutdown.js';

/** The primary waits this much longer than a worker's own deadline before it kills what is left. */
const PRIMARY_SLACK_MS = LAST_LINES_MS + 500;

interface Member {
  readonly role: WorkerRole;
  listening: boolean;
}

export async function runPrimary(config: Config, logger: Logger): Promise<void> {
  // Made before any worker starts, so that every worker reads the same secret (sessions and anonymous CSRF tokens
  // made by one are good in all) rather than racing to create it.
  try {
    await loadOrCreateSessionSecret(config.DATA_DIR, config.SESSION_SECRET);
  } catch (error) {
    logger.fatal({ err: error }, 'MovieHunter could not start');
    process.stderr.write(`MovieHunter could not start: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  }

  const members = new Map<Worker, Member>();
  let modelInService: string | null = null;
  /** Ticks the followers asked for, by the pipeline worker that runs them: failed when it dies. */
  const ticksInFlight = new Map<Worker, Map<string, { id: number; to: number }>>();
  let stopping = false;
  let exitCode = 0;
  let deadline: NodeJS.Timeout | undefined;

  const send = (worker: Worker, message: ToWorker): void => {
    if (worker.isConnected()) worker.send(message);
  };
  const workerById = (id: number): Worker | undefined => [...members.keys()].find((w) => w.id === id);
  const pipelineWorker = (): Worker | undefined => [...members].find(([, m]) => m.role === 'pipeline')?.[0];

  const relay = (from: Worker, message: ToPrimary): void => {
    switch (message.type) {
      case 'hello':
        if (modelInService !== null) send(from, { type: 'model', location: modelInService });
        return;
      case 'model':
        if (members.get(from)?.role !== 'pipeline') return;
        modelInService = message.location;
        for (const [worker, member] of members) if (member.role === 'follower') send(worker, { type: 'model', location: message.location });
        return;
      case 'nudge': {
        const target = pipelineWorker();
        if (target) send(target, { type: 'nudge' });
        return;
      }
      case 'tick': {
        const target = pipelineWorker();
        if (!target) {
          send(from, { type: 'tick-report', id: message.id, error: 'the pipeline is still starting' });
          return;
        }
        ticksInFlight.get(target)?.set(`${from.id}:${message.id}`, { id: message.id, to: from.id });
        send(target, { type: 'tick', id: message.id, from: from.id });
        return;
      }
      case 'tick-report': {
        ticksInFlight.get(from)?.delete(`${message.to}:${message.id}`);
        const to = workerById(message.to);
        if (to) send(to, { type: 'tick-report', id: message.id, report: message.report, error: message.error });
        return;
      }
    }
  };

  const fork = (role: WorkerRole): Worker => {
    const worker = cluster.fork({ [WORKER_ROLE_ENV]: role });
    members.set(worker, { role, listening: false });
    if (role === 'pipeline') ticksInFlight.set(worker, new Map());
    worker.on('message', (message: unknown) => {
      if (isMessage<ToPrimary>(message)) relay(worker, message);
    });
    worker.on('listening', () => {
      const member = members.get(worker);
      if (member) member.listening = true;
    });
    return worker;
  };

  const exit = (code: number): void => {
    clearTimeout(deadline);
    process.exitCode = code;
    void drainStdout(LAST_LINES_MS).then(() => process.exit(code));
  };

  const stop = (reason: string, code = 0): void => {
    exitCode = Math.max(exitCode, code);
    if (stopping) {
      logger.warn({ reason, workers: members.size }, 'stopping at once: a second signal');
      for (const worker of members.keys()) worker.process.kill('SIGKILL');
      exit(1);
      return;
    }
    stopping = true;
    logger.info({ reason, workers: members.size, deadlineMs: SHUTDOWN_DEADLINE_MS }, 'stopping the web workers');
    deadline = setTimeout(() => {
      logger.error({ workers: [...members.keys()].map((w) => w.process.pid) }, 'the stop passed its deadline: killing the web workers left');
      for (const worker of members.keys()) worker.process.kill('SIGKILL');
      exit(1);
    }, SHUTDOWN_DEADLINE_MS + PRIMARY_SLACK_MS);
    if (members.size === 0) exit(exitCode);
    // A signal, not a message: a worker still starting has no message listener yet, and a signal is never lost.
    for (const worker of members.keys()) worker.process.kill('SIGTERM');
  };

  cluster.on('exit', (worker, code, signal) => {
    const member = members.get(worker);
    members.delete(worker);
    if (!member) return;
    for (const { id, to } of ticksInFlight.get(worker)?.values() ?? []) {
      const asker = workerById(to);
      if (asker) send(asker, { type: 'tick-report', id, error: 'the pipeline worker stopped during the tick' });
    }
    ticksInFlight.delete(worker);
    const exited = { worker: worker.id, pid: worker.process.pid, role: member.role, code, signal };
    if (stopping) {
      // Ended by the SIGTERM itself: the worker was still booting (no handler yet), so it left nothing undone.
      if (code !== 0 && signal !== 'SIGTERM') exitCode = 1;
      logger.info(exited, 'web worker stopped');
      if (members.size === 0) exit(exitCode);
      return;
    }
    if (!member.listening) {
      // It could not start (data missing, database unreadable): another would fail the same way.
      logger.fatal(exited, 'a web worker could not start; stopping');
      stop('a web worker could not start', 1);
      return;
    }
    logger.error(exited, 'a web worker died; starting another');
    fork(member.role);
  });

  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
  logger.info({ workers: config.WEB_WORKERS, pid: process.pid }, 'starting the web workers');
  for (let i = 0; i < config.WEB_WORKERS; i++) fork(i === 0 ? 'pipeline' : 'follower');
}
