/**
 * A real Cloud Storage emulator for tests: fake-gcs-server (github.com/fsouza/fake-gcs-server), in memory, on a free
 * loopback port, spoken to by the real @google-cloud/storage client with no Google credentials at all.
 *
 * The binary: $FAKE_GCS_SERVER, else $(go env GOPATH)/bin/fake-gcs-server. Install it with
 *   go install github.com/fsouza/fake-gcs-server@v1.56.1
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { accessSync, constants } from 'node:fs';
import { createServer } from 'node:net';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { Storage, type StorageOptions } from '@google-cloud/storage';

export interface FakeGcs {
  /** http://127.0.0.1:<port> */
  readonly endpoint: string;
  /**
   * A Storage client for this server: no credentials looked up, and quick retries (a few tenths of a second, at
   * most a few seconds in all) so a stopped server is an error at once; `options` override any of it.
   */
  storage(options?: StorageOptions): Storage;
  createBucket(name: string): Promise<void>;
  /** Stops the server (idempotent); also done when the process exits. */
  stop(): Promise<void>;
}

const INSTALL_HINT = 'install it with `go install github.com/fsouza/fake-gcs-server@v1.56.1`, or set FAKE_GCS_SERVER to the binary';
const START_TIMEOUT_MS = 10_000;

const running = new Set<ChildProcess>();
const killAll = (): void => {
  for (const child of running) child.kill('SIGKILL');
};
process.once('exit', killAll);
// Killed by a signal (a cancelled test run), 'exit' never comes: kill the servers, then die of the same signal.
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.once(signal, () => {
    killAll();
    process.kill(process.pid, signal);
  });
}

/** The fake-gcs-server binary, or an error saying how to get one. */
export function fakeGcsServerBinary(): string {
  const fromEnv = process.env.FAKE_GCS_SERVER;
  if (fromEnv !== undefined && fromEnv !== '') {
    if (!isExecutable(fromEnv)) throw new Error(`FAKE_GCS_SERVER=${fromEnv} is not an executable file; ${INSTALL_HINT}`);
    return fromEnv;
  }
  let gopath: string;
  try {
    gopath = execFileSync('go', ['env', 'GOPATH'], { encoding: 'utf8', timeout: 10_000 }).trim().split(':')[0] || join(homedir(), 'go');
  } catch {
    gopath = join(homedir(), 'go'); // no go on the PATH: its default GOPATH
  }
  const binary = join(gopath, 'bin', 'fake-gcs-server');
  if (!isExecutable(binary)) throw new Error(`fake-gcs-server (the Cloud Storage emulator) was not found at ${binary}; ${INSTALL_HINT}`);
  return binary;
}

/** Starts a fresh, empty server; a few attempts, in case another process takes the chosen port first. */
export async function startFakeGcs(): Promise<FakeGcs> {
  const binary = fakeGcsServerBinary();
  let lastError: Error | undefined;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await startOn(binary, await freePort());
    } catch (err) {
      lastError = err as Error;
    }
  }
  throw lastError!;
}

async function startOn(binary: string, port: number): Promise<FakeGcs> {
  const host = `127.0.0.1:${port}`;
  const endpoint = `http://${host}`;
  const args = ['-scheme', 'http', '-host', '127.0.0.1', '-port', String(port), '-backend', 'memory', '-public-host', host, '-external-url', endpoint, '-log-level', 'error'];
  const child = spawn(binary, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  running.add(child);
  // Never keep the test process alive on its own: the exit handler above kills it.
  child.unref();
  let stderr = '';
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    stderr = (stderr + chunk).slice(-2000);
  });
  (child.stderr as unknown as { unref?: () => void }).unref?.();
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.once('exit', () => running.delete(child));
  let spawnError: Error | undefined;
  child.once('error', (err) => {
    spawnError = err;
  });

  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 2000);
    await exited;
    clearTimeout(timer);
  };

  const deadline = Date.now() + START_TIMEOUT_MS;
  for (;;) {
    if (spawnError !== undefined) throw new Error(`could not start ${binary}: ${spawnError.message}; ${INSTALL_HINT}`);
    if (child.exitCode !== null || child.signalCode !== null) {
      throw new Error(`fake-gcs-server exited (${child.exitCode ?? child.signalCode}) before answering on ${endpoint}: ${stderr.trim() || 'no output'}`);
    }
    if (await answers(endpoint)) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`fake-gcs-server did not answer on ${endpoint} within ${START_TIMEOUT_MS / 1000} s: ${stderr.trim() || 'no output'}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }

  const storage = (options: StorageOptions = {}): Storage =>
    new Storage({
      apiEndpoint: endpoint,
      projectId: 'test',
      // A custom endpoint is never sent credentials unless this is true, and with projectId given the client
      // has no reason to ask google-auth-library for anything: no key files, no metadata server.
      useAuthWithCustomEndpoint: false,
      // maxRetryDelay is in seconds and may not go below 1 (uploads wait at least 1 s between tries).
      retryOptions: { autoRetry: true, maxRetries: 1, retryDelayMultiplier: 1, maxRetryDelay: 1, totalTimeout: 5 },
      ...options,
    });

  return {
    endpoint,
    storage,
    async createBucket(name) {
      await storage().createBucket(name);
    },
    stop,
  };
}

async function answers(endpoint: string): Promise<boolean> {
  try {
    const response = await fetch(`${endpoint}/storage/v1/b?project=test`, { signal: AbortSignal.timeout(1000) });
    await response.arrayBuffer();
    return response.ok;
  } catch {
    return false;
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}
