/**
 * The real server (`node <compiled>/src/server.js`, found beside this compiled file, not from the working directory)
 * as a child process on a loopback port, for tests that kill it. Its output is kept whole (for the log checks);
 * every child still running is killed when the test process exits, however it exits.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';
import { repoRoot } from '../support/movielens.js';

/** dist/test/faults/server-child.js → dist/src/server.js */
export const SERVER_SCRIPT = fileURLToPath(new URL('../../src/server.js', import.meta.url));

const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
});

export interface ServerChildOptions {
  /** Wait this long for /readyz (60 s unless given). */
  readonly readyWithinMs?: number;
  /** A file descriptor for the server's stdout and stderr (a pipe nobody reads); its output is then not kept here. */
  readonly outputFd?: number;
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

export class ServerChild {
  readonly child: ChildProcess;
  readonly exited: Promise<Exit>;
  private exit: Exit | null = null;
  private readonly lines: string[] = [];

  private constructor(
    readonly port: number,
    env: Record<string, string>,
    outputFd: number | undefined,
  ) {
    this.child = spawn(process.execPath, [SERVER_SCRIPT], {
      cwd: repoRoot,
      // One process unless a test asks for a cluster: the tests here watch one server's log and kill one pid.
      env: { PATH: process.env.PATH ?? '', METADATA_SERVER_DETECTION: 'none', WEB_WORKERS: '1', ...env, PORT: String(port) },
      stdio: outputFd === undefined ? ['ignore', 'pipe', 'pipe'] : ['ignore', outputFd, outputFd],
    });
    live.add(this.child);
    this.exited = new Promise((resolve) => {
      this.child.once('exit', (code, signal) => {
        live.delete(this.child);
        resolve((this.exit = { code, signal }));
      });
    });
    for (const stream of outputFd === undefined ? [this.child.stdout!, this.child.stderr!] : []) {
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => this.lines.push(...chunk.split('\n').filter((line) => line.trim() !== '')));
    }
  }

  /** Starts the server without waiting for anything. */
  static spawn(port: number, env: Record<string, string>): ServerChild {
    return new ServerChild(port, env, undefined);
  }

  /** Waits until the server has logged a line holding `text`. */
  async logged(text: string, withinMs = 60_000): Promise<void> {
    const deadline = Date.now() + withinMs;
    while (!this.lines.some((line) => line.includes(text))) {
      if (this.exit || Date.now() > deadline) throw new Error(`the server did not log ${JSON.stringify(text)}:\n${this.tail()}`);
      await sleep(20);
    }
  }

  /** Starts the server and waits until /readyz answers 200 (the model is in service). */
  static async start(port: number, env: Record<string, string>, options: ServerChildOptions = {}): Promise<ServerChild> {
    const { readyWithinMs = 60_000, outputFd } = options;
    const server = new ServerChild(port, env, outputFd);
    const deadline = Date.now() + readyWithinMs;
    for (;;) {
      if (server.exit) throw new Error(`the server exited (${server.exit.signal ?? server.exit.code}) before it was ready:\n${server.tail()}`);
      if (Date.now() > deadline) {
        server.child.kill('SIGKILL');
        throw new Error(`the server was not ready within ${readyWithinMs} ms:\n${server.tail()}`);
      }
      const status = await fetch(`${server.url}/readyz`, { signal: AbortSignal.timeout(2_000) }).then(
        (res) => res.status,
        () => 0,
      );
      if (status === 200) return server;
      await sleep(50);
    }
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  get running(): boolean {
    return this.exit === null;
  }

  /** Everything the server wrote (JSON log lines, and anything else). */
  output(): string {
    return this.lines.join('\n');
  }

  tail(n = 15): string {
    return this.lines.slice(-n).join('\n') || '(no output)';
  }

  /** SIGKILL: no handler runs, nothing is flushed or closed. */
  async kill(): Promise<Exit> {
    if (this.exit) return this.exit;
    this.child.kill('SIGKILL');
    return this.exited;
  }

  /** SIGTERM (a clean stop), then SIGKILL after `graceMs`. */
  async stop(graceMs = 15_000): Promise<Exit> {
    if (this.exit) return this.exit;
    this.child.kill('SIGTERM');
    const done = await Promise.race([this.exited, sleep(graceMs, null, { ref: false })]);
    return done ?? this.kill();
  }
}

/** A loopback port nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
