/**
 * The web group's plumbing: the compiled server as a child process on a free loopback port, and a small HTTP
 * client (one keep-alive connection, a cookie jar, the CSRF token) that only ever talks to 127.0.0.1.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { createServer } from 'node:net';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { fileURLToPath } from 'node:url';

const HOST = '127.0.0.1';
/** dist/scripts/bench/web-http.js → dist/src/server.js */
export const SERVER_SCRIPT = fileURLToPath(new URL('../../src/server.js', import.meta.url));
const REQUEST_TIMEOUT_MS = 15_000;
const STOP_TIMEOUT_MS = 15_000;
const READY_POLL_MS = 25;
const TAIL_LINES = 30;

/** Children still running; killed when this process exits however it exits (a thrown error, process.exit). */
const live = new Set<ChildProcess>();
let exitHookInstalled = false;
function track(child: ChildProcess): void {
  if (!exitHookInstalled) {
    exitHookInstalled = true;
    process.on('exit', () => {
      for (const c of live) c.kill('SIGKILL');
    });
  }
  live.add(child);
  child.once('exit', () => live.delete(child));
}

/** A port nobody listens on right now: listen on 0, read it, close. */
export function freePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const probe = createServer();
    probe.unref();
    probe.once('error', reject);
    probe.listen(0, HOST, () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => (port > 0 ? resolvePort(port) : reject(new Error('no free port'))));
    });
  });
}

export interface ExitInfo {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
}

/** `node dist/src/server.js` with the given environment; its output is kept (last lines) for error messages. */
export class ServerProcess {
  readonly child: ChildProcess;
  readonly spawnedAt = performance.now();
  readonly exited: Promise<ExitInfo>;
  private exit: ExitInfo | null = null;
  private readonly tail: string[] = [];

  constructor(
    readonly port: number,
    env: NodeJS.ProcessEnv,
    nodeArgs: readonly string[] = [],
  ) {
    if (!existsSync(SERVER_SCRIPT)) throw new Error(`${SERVER_SCRIPT} is missing: run npm run build`);
    this.child = spawn(process.execPath, [...nodeArgs, SERVER_SCRIPT], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    track(this.child);
    this.exited = new Promise((resolveExit) => {
      this.child.once('exit', (code, signal) => resolveExit((this.exit = { code, signal })));
      this.child.once('error', () => resolveExit((this.exit = { code: null, signal: null })));
    });
    for (const stream of [this.child.stdout, this.child.stderr]) {
      stream?.setEncoding('utf8');
      stream?.on('data', (chunk: string) => {
        for (const line of chunk.split('\n')) if (line.trim() !== '') this.tail.push(line);
        if (this.tail.length > TAIL_LINES) this.tail.splice(0, this.tail.length - TAIL_LINES);
      });
    }
  }

  get running(): boolean {
    return this.exit === null;
  }

  /** The server's last output lines, for an error message. */
  output(): string {
    return this.tail.length === 0 ? '(no output)' : this.tail.slice(-8).join('\n');
  }

  /** Milliseconds from spawn to the first 200 of GET /readyz; throws when the server exits first or `deadline` passes. */
  async waitReady(deadline: number, aborted: () => boolean): Promise<number> {
    for (;;) {
      if (this.exit) throw new Error(`the server exited (${this.exit.signal ?? `code ${this.exit.code}`}) before it was ready: ${this.output()}`);
      if (aborted()) throw new Error('aborted');
      if (performance.now() > deadline) throw new Error(`the server was not ready in time: ${this.output()}`);
      const status = await probe(this.port, '/readyz');
      if (status === 200) return performance.now() - this.spawnedAt;
      await sleep(READY_POLL_MS);
    }
  }

  /** SIGTERM, then SIGKILL if it has not exited within STOP_TIMEOUT_MS. */
  async stop(): Promise<{ info: ExitInfo; ms: number; killed: boolean }> {
    const start = performance.now();
    if (this.exit) return { info: this.exit, ms: 0, killed: false };
    this.child.kill('SIGTERM');
    const info = await Promise.race([this.exited, sleep(STOP_TIMEOUT_MS, null, { ref: false })]);
    if (info) return { info, ms: performance.now() - start, killed: false };
    this.child.kill('SIGKILL');
    return { info: await this.exited, ms: performance.now() - start, killed: true };
  }
}

/** Status of one GET on a fresh connection, or 0 when nothing answers yet. */
function probe(port: number, path: string): Promise<number> {
  return new Promise((resolveStatus) => {
    const req = request({ host: HOST, port, path, method: 'GET', agent: false, timeout: 2_000 }, (res) => {
      res.resume();
      res.once('end', () => resolveStatus(res.statusCode ?? 0));
      res.once('error', () => resolveStatus(0));
    });
    req.once('timeout', () => req.destroy());
    req.once('error', () => resolveStatus(0));
    req.end();
  });
}

export interface Answer {
  readonly status: number;
  readonly text: string;
}

/**
 * One visitor: a cookie jar, the session's CSRF token, and one keep-alive connection (maxSockets 1) that every
 * request goes over while the server keeps it open. `connections` counts the connections actually opened.
 */
export class WebClient {
  csrfToken = '';
  connections = 0;
  private readonly cookies = new Map<string, string>();
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 1 });

  constructor(readonly port: number) {}

  send(method: string, path: string, body?: unknown): Promise<Answer> {
    const payload = body === undefined ? undefined : Buffer.from(JSON.stringify(body));
    const headers: Record<string, string | number> = { accept: 'application/json' };
    if (payload) {
      headers['content-type'] = 'application/json';
      headers['content-length'] = payload.length;
    }
    if (this.cookies.size > 0) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (method !== 'GET' && this.csrfToken) headers['x-csrf-token'] = this.csrfToken;
    return new Promise((resolveAnswer, reject) => {
      const req = request({ host: HOST, port: this.port, path, method, headers, agent: this.agent, timeout: REQUEST_TIMEOUT_MS }, (res) => {
        if (!req.reusedSocket) this.connections++;
        for (const cookie of res.headers['set-cookie'] ?? []) {
          const [pair] = cookie.split(';');
          const eq = pair.indexOf('=');
          if (eq > 0) this.cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1).trim());
        }
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.once('end', () => resolveAnswer({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        res.once('error', reject);
      });
      req.once('timeout', () => req.destroy(new Error(`${method} ${path}: no answer in ${REQUEST_TIMEOUT_MS} ms`)));
      req.once('error', reject);
      req.end(payload);
    });
  }

  /** send() that expects `status` and returns the parsed JSON body. */
  async json<T>(method: string, path: string, body?: unknown, status = 200): Promise<T> {
    const answer = await this.send(method, path, body);
    return expectJson<T>(answer, `${method} ${path}`, status);
  }

  close(): void {
    this.agent.destroy();
  }
}

export function expectJson<T>(answer: Answer, what: string, status = 200): T {
  if (answer.status !== status) throw new Error(`${what}: ${answer.status} (expected ${status}): ${answer.text.slice(0, 200)}`);
  return JSON.parse(answer.text) as T;
}
