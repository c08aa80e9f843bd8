/**
 * Google's Firestore emulator for tests. startFirestoreEmulator() uses the emulator named by FIRESTORE_EMULATOR_HOST
 * when that is set (it neither starts nor stops it), else starts one on a free loopback port in a process group of
 * its own (a shell script running a JVM), waits until it answers, and stops it on stop() or when this process exits.
 * Tests keep their data apart by project id (any id works with the emulator); resetFirestore() empties one project.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { createServer } from 'node:net';

/** Where the gcloud component `cloud-firestore-emulator` installs the emulator's launcher. */
export const FIRESTORE_EMULATOR_BINARY = '/usr/lib/google-cloud-sdk/platform/cloud-firestore-emulator/cloud_firestore_emulator';

export interface FirestoreEmulator {
  /** host:port, as FIRESTORE_EMULATOR_HOST and the client's `host` setting take it. */
  readonly host: string;
  /** Stops the emulator this call started (its whole process group); a no-op for one found in the environment. */
  stop(): Promise<void>;
}

export interface StartOptions {
  /** The launcher to run; FIRESTORE_EMULATOR_BINARY unless given. */
  binary?: string;
  /** How long to wait for the emulator to answer; 60 s unless given. */
  readyTimeoutMs?: number;
}

/** Lines of the emulator's output kept for error messages. */
const TAIL_LINES = 40;

export async function startFirestoreEmulator(options: StartOptions = {}): Promise<FirestoreEmulator> {
  const existing = process.env.FIRESTORE_EMULATOR_HOST;
  const readyTimeoutMs = options.readyTimeoutMs ?? 60_000;
  if (existing) {
    await waitUntilReady(existing, readyTimeoutMs, () => null, () => `FIRESTORE_EMULATOR_HOST=${existing} does not answer`);
    return { host: existing, stop: async () => {} };
  }
  const binary = options.binary ?? FIRESTORE_EMULATOR_BINARY;
  try {
    accessSync(binary, constants.X_OK);
  } catch {
    throw new Error(
      `the Firestore emulator is missing: expected an executable at ${binary} ` +
        '(gcloud component "cloud-firestore-emulator"), or set FIRESTORE_EMULATOR_HOST to a running emulator',
    );
  }
  // A port taken between choosing it and the emulator binding it makes the emulator exit: try another.
  for (let attempt = 1; ; attempt++) {
    try {
      return await startOnce(binary, await freePort(), readyTimeoutMs);
    } catch (err) {
      if (!(err instanceof EmulatorExited) || attempt === 3) throw err;
    }
  }
}

/** Deletes every document of `projectId` in the emulator at `host` (its (default) database unless named). */
export async function resetFirestore(host: string, projectId: string, databaseId = '(default)'): Promise<void> {
  const url = `http://${host}/emulator/v1/projects/${encodeURIComponent(projectId)}/databases/${encodeURIComponent(databaseId)}/documents`;
  const response = await fetch(url, { method: 'DELETE' });
  if (!response.ok) throw new Error(`could not reset Firestore project ${projectId} at ${host}: HTTP ${response.status} ${await response.text()}`);
}

class EmulatorExited extends Error {}

async function startOnce(binary: string, port: number, readyTimeoutMs: number): Promise<FirestoreEmulator> {
  const host = `127.0.0.1:${port}`;
  const child = spawn(binary, ['start', '--host=127.0.0.1', `--port=${port}`], {
    detached: true, // its own process group: the shell script and the JVM go together
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const tail: string[] = [];
  const keep = (chunk: Buffer) => {
    tail.push(...chunk.toString('utf8').split('\n').filter((line) => line.trim() !== ''));
    tail.splice(0, Math.max(0, tail.length - TAIL_LINES));
  };
  // Always drained, so a chatty emulator never blocks on a full pipe; unref'd, so they keep nothing alive.
  child.stdout.on('data', keep);
  child.stderr.on('data', keep);
  let exit: string | null = null;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', (code, signal) => {
      exit = signal === null ? `exit code ${code}` : `signal ${signal}`;
      resolve();
    });
    child.once('error', (err) => {
      exit = `spawn error: ${err.message}`;
      resolve();
    });
  });
  const killOnExit = () => killGroup(child, 'SIGKILL');
  process.once('exit', killOnExit);
  const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
  const onSignal = (signal: NodeJS.Signals) => {
    killGroup(child, 'SIGKILL');
    // Nobody else handles it: let the default action (terminate) happen as it would have.
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  };
  for (const signal of signals) process.once(signal, onSignal);
  const forget = () => {
    process.removeListener('exit', killOnExit);
    for (const signal of signals) process.removeListener(signal, onSignal);
  };

  let stopping: Promise<void> | null = null;
  const stop = () => {
    stopping ??= (async () => {
      if (exit === null) {
        killGroup(child, 'SIGTERM');
        const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 5_000);
        await exited;
        clearTimeout(timer);
      }
      // The shell has gone; make sure nothing of the group (the JVM) outlives it.
      killGroup(child, 'SIGKILL');
      forget();
      child.stdout.destroy();
      child.stderr.destroy();
    })();
    return stopping;
  };

  const output = () => (tail.length === 0 ? '(no output)' : tail.join('\n'));
  try {
    await waitUntilReady(
      host,
      readyTimeoutMs,
      () => (exit === null ? null : new EmulatorExited(`the Firestore emulator exited (${exit}) before it was ready; its output:\n${output()}`)),
      () => `the Firestore emulator did not answer on ${host} within ${readyTimeoutMs} ms; its last output:\n${output()}`,
    );
  } catch (err) {
    await stop();
    throw err;
  }
  child.unref();
  (child.stdout as unknown as { unref?: () => void }).unref?.();
  (child.stderr as unknown as { unref?: () => void }).unref?.();
  return { host, stop };
}

/** Polls the emulator's HTTP root (it answers "Ok") until it does, `failed()` returns an error, or time runs out. */
async function waitUntilReady(host: string, timeoutMs: number, failed: () => Error | null, timedOut: () => string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const problem = failed();
    if (problem !== null) throw problem;
    try {
      const response = await fetch(`http://${host}/`, { signal: AbortSignal.timeout(1_000) });
      await response.arrayBuffer();
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    if (Date.now() >= deadline) throw new Error(timedOut());
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Gone already.
  }
}

/** A port nothing listens on right now (the OS's choice on the loopback interface). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (typeof address === 'object' && address !== null ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
