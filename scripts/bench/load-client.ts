/**
 * A lean HTTP/1.1 load client for `npm run load`: keep-alive connections to 127.0.0.1, each sending its next request
 * as soon as the last is answered. It shares the machine with the server it measures, so it does as little as it can
 * per request: requests are encoded once, a response's head is read as a few hundred bytes of Latin-1 and its body is
 * only counted, unless the next request of the sequence is built from it (a log-in needs the session's cookie and
 * token). Responses must carry Content-Length (the server's always do); anything else is counted as an error.
 */
import { connect, type Socket } from 'node:net';
import { performance } from 'node:perf_hooks';

const HOST = '127.0.0.1';
const HEAD_END = Buffer.from('\r\n\r\n', 'latin1');

export interface RequestSpec {
  readonly method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  readonly path: string;
  readonly headers?: Readonly<Record<string, string>>;
  readonly body?: string;
}

/** What a step built from a response can read: the status, the raw head (status line and headers) and the body. */
export interface LoadResponse {
  readonly status: number;
  readonly head: string;
  readonly body: Buffer;
}

/** A request encoded once, or one built from the previous response of the same connection. */
export type RequestStep = Buffer | ((previous: LoadResponse) => Buffer);

export interface TrafficSpec {
  readonly port: number;
  readonly connections: number;
  readonly durationSeconds: number;
  readonly timeoutSeconds: number;
  /** The requests connection `c` sends, in order, over and over. */
  readonly steps: (connection: number) => readonly RequestStep[];
}

export interface TrafficResult {
  /** Responses completed within the duration. */
  readonly requests: number;
  readonly durationSeconds: number;
  /** Milliseconds from the request's write to its response's last byte, one per completed response. */
  readonly latenciesMs: Float64Array;
  /** Socket errors, connections closed mid-response and responses the client cannot frame. */
  readonly errors: number;
  readonly timeouts: number;
  /** Responses whose status is not 2xx. */
  readonly non2xx: number;
  /** The first error's message, for the report when something went wrong. */
  readonly firstError?: string;
}

/** `spec` as bytes on the wire, with Host, keep-alive and Content-Length. */
export function encodeRequest(port: number, spec: RequestSpec): Buffer {
  const body = spec.body === undefined ? undefined : Buffer.from(spec.body, 'utf8');
  let head = `${spec.method} ${spec.path} HTTP/1.1\r\nhost: ${HOST}:${port}\r\nconnection: keep-alive\r\n`;
  for (const [name, value] of Object.entries(spec.headers ?? {})) head += `${name}: ${value}\r\n`;
  if (body !== undefined) head += `content-length: ${body.length}\r\n`;
  head += '\r\n';
  return body === undefined ? Buffer.from(head, 'latin1') : Buffer.concat([Buffer.from(head, 'latin1'), body]);
}

/** The values of every `name` header in a raw head, in order (e.g. each Set-Cookie). */
export function headerValues(head: string, name: string): string[] {
  const wanted = name.toLowerCase();
  const values: string[] = [];
  for (const line of head.split('\r\n').slice(1)) {
    const colon = line.indexOf(':');
    if (colon > 0 && line.slice(0, colon).trim().toLowerCase() === wanted) values.push(line.slice(colon + 1).trim());
  }
  return values;
}

const CONTENT_LENGTH = /\r\ncontent-length:[ \t]*(\d+)/i;
const CLOSE = /\r\nconnection:[ \t]*close/i;
const CHUNKED = /\r\ntransfer-encoding:[^\r]*chunked/i;

/** Connections that are open and have had their first answer, ready to run. */
export interface OpenTraffic {
  /** Runs every connection for the spec's duration; resolves when all have stopped. */
  run(): Promise<TrafficResult>;
  /** Closes the connections without running them. */
  close(): void;
}

/**
 * Opens the connections one after another, each waiting for the answer to its first request (not counted), so a
 * cluster's primary hands them to its workers in turn: with two workers, each gets every other connection of each kind
 * when every kind is opened in turn, instead of whatever mix a burst of simultaneous connects happens to give.
 */
export async function openTraffic(spec: TrafficSpec): Promise<OpenTraffic> {
  const latencies: number[] = [];
  let errors = 0;
  let timeouts = 0;
  let non2xx = 0;
  let firstError: string | undefined;
  const hooks: ConnectionHooks = {
    endsAt: Number.POSITIVE_INFINITY,
    onResponse: (latency, status) => {
      latencies.push(latency);
      if (status < 200 || status > 299) non2xx++;
    },
    onError: (message) => {
      errors++;
      firstError ??= message;
    },
  };
  const connections = Array.from({ length: spec.connections }, (_, c) => new Connection(spec.port, spec.steps(c), hooks));
  try {
    for (const connection of connections) await connection.open(spec.timeoutSeconds * 1000);
  } catch (error) {
    for (const connection of connections) connection.stop();
    throw error;
  }
  return {
    close: () => {
      for (const connection of connections) connection.stop();
    },
    run: () =>
      new Promise((resolve) => {
        hooks.endsAt = performance.now() + spec.durationSeconds * 1000;
        // One timer for every connection's timeout, and for the end: in-flight requests at the end are not counted.
        const timeoutMs = spec.timeoutSeconds * 1000;
        const ticker = setInterval(() => {
          const now = performance.now();
          if (now >= hooks.endsAt) {
            clearInterval(ticker);
            for (const connection of connections) connection.stop();
            resolve({ requests: latencies.length, durationSeconds: spec.durationSeconds, latenciesMs: Float64Array.from(latencies), errors, timeouts, non2xx, firstError });
            return;
          }
          for (const connection of connections) {
            if (connection.waitingSince !== undefined && now - connection.waitingSince > timeoutMs) {
              timeouts++;
              connection.restart();
            }
          }
        }, Math.min(100, Math.max(10, spec.durationSeconds * 100)));
        for (const connection of connections) connection.go();
      }),
  };
}

/** Opens the connections (openTraffic) and runs them. */
export async function runTraffic(spec: TrafficSpec): Promise<TrafficResult> {
  return (await openTraffic(spec)).run();
}

interface ConnectionHooks {
  /** Infinity until the run starts. */
  endsAt: number;
  readonly onResponse: (latencyMs: number, status: number) => void;
  readonly onError: (message: string) => void;
}

/** One keep-alive connection that walks its steps round and round; reconnects after an error or a timeout. */
class Connection {
  private socket: Socket | undefined;
  private stepIndex = 0;
  private stopped = false;
  /** When the request in flight was written; undefined while none is. */
  waitingSince: number | undefined;
  /** The head read so far, while it is incomplete (rare: a head usually arrives in its response's first packet). */
  private partialHead: Buffer | undefined;
  private status = 0;
  private head = '';
  /** Body bytes still to come for the response in flight; -1 while its head is being read. */
  private remaining = -1;
  /** The body's chunks, kept only when the next step is built from this response. */
  private bodyChunks: Buffer[] | undefined;
  private lastResponse: LoadResponse = { status: 0, head: '', body: Buffer.alloc(0) };
  /** While opening: called with the first answer (or an error) instead of sending the next request. */
  private opened: ((error?: Error) => void) | undefined;

  constructor(
    private readonly port: number,
    private readonly steps: readonly RequestStep[],
    private readonly hooks: ConnectionHooks,
  ) {
    if (steps.length === 0) throw new Error('a load connection needs at least one request');
  }

  /** Connects and sends the first request; resolves with its answer, which is not counted (see openTraffic). */
  open(timeoutMs: number): Promise<void> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => this.opened?.(new Error(`no answer to a first request in ${timeoutMs / 1000} s`)), timeoutMs);
      this.opened = (error) => {
        clearTimeout(timer);
        this.opened = undefined;
        if (error) reject(error);
        else resolve();
      };
      this.start();
    });
  }

  /** Starts sending after open(). */
  go(): void {
    if (this.socket) this.sendNext();
    else this.start();
  }

  /** Closes the socket without a new one (yet). */
  private drop(): void {
    const old = this.socket;
    this.socket = undefined;
    old?.destroy();
  }

  start(): void {
    const socket = connect({ host: HOST, port: this.port, noDelay: true });
    this.socket = socket;
    socket.on('connect', () => this.sendNext());
    socket.on('data', (chunk: Buffer) => this.read(chunk));
    socket.on('error', (error) => {
      if (this.socket !== socket || this.stopped) return;
      if (this.opened) return this.opened(new Error(`a load connection failed to open: ${error.message}`));
      this.hooks.onError(error.message);
      this.restart();
    });
    socket.on('close', () => {
      if (this.socket !== socket || this.stopped) return;
      if (this.opened) return this.opened(new Error('the server closed a load connection as it opened'));
      // A server may close an idle keep-alive connection; only a request in flight is lost.
      if (this.waitingSince !== undefined) this.hooks.onError('the server closed the connection during a request');
      this.restart();
    });
  }

  /** Drops the connection (and its request in flight) and opens a new one. */
  restart(): void {
    const old = this.socket;
    this.socket = undefined;
    this.reset();
    old?.destroy();
    if (!this.stopped && performance.now() < this.hooks.endsAt) this.start();
  }

  stop(): void {
    this.stopped = true;
    this.socket?.destroy();
    this.socket = undefined;
    this.waitingSince = undefined;
  }

  private reset(): void {
    this.waitingSince = undefined;
    this.partialHead = undefined;
    this.remaining = -1;
    this.bodyChunks = undefined;
  }

  private sendNext(): void {
    if (this.stopped || !this.socket || performance.now() >= this.hooks.endsAt) return;
    const step = this.steps[this.stepIndex];
    const request = typeof step === 'function' ? step(this.lastResponse) : step;
    // The body is kept when the step after this one reads it.
    const next = this.steps[(this.stepIndex + 1) % this.steps.length];
    this.bodyChunks = typeof next === 'function' ? [] : undefined;
    this.stepIndex = (this.stepIndex + 1) % this.steps.length;
    this.waitingSince = performance.now();
    this.socket.write(request);
  }

  /** A response the client cannot frame: fails the opening, or counts an error and reconnects. */
  private failRead(message: string): void {
    if (this.opened) {
      this.drop();
      this.opened(new Error(message));
      return;
    }
    this.hooks.onError(message);
    this.restart();
  }

  private read(chunk: Buffer): void {
    if (this.waitingSince === undefined) return this.failRead('bytes arrived with no request in flight');
    let body = chunk;
    if (this.remaining < 0) {
      const data = this.partialHead ? Buffer.concat([this.partialHead, chunk]) : chunk;
      const end = data.indexOf(HEAD_END);
      if (end < 0) {
        this.partialHead = data;
        return;
      }
      this.partialHead = undefined;
      this.head = data.toString('latin1', 0, end);
      this.status = Number(this.head.slice(9, 12));
      const length = CONTENT_LENGTH.exec(this.head);
      if (!length) return this.failRead(CHUNKED.test(this.head) ? 'a chunked response (the client needs Content-Length)' : `a response without Content-Length (${this.head.split('\r\n')[0]})`);
      this.remaining = Number(length[1]);
      body = data.subarray(end + HEAD_END.length);
    }
    if (body.length > this.remaining) return this.failRead('more bytes than the response announced');
    this.remaining -= body.length;
    if (this.bodyChunks && body.length > 0) this.bodyChunks.push(body);
    if (this.remaining > 0) return;

    const now = performance.now();
    const sentAt = this.waitingSince ?? now;
    if (this.bodyChunks) this.lastResponse = { status: this.status, head: this.head, body: Buffer.concat(this.bodyChunks) };
    this.reset();
    if (this.opened) {
      // The first answer opens the connection; its status is checked by the measured requests that follow. A server
      // that closes after it gets a new connection when the run starts.
      if (CLOSE.test(this.head)) this.drop();
      this.opened();
      return;
    }
    if (now <= this.hooks.endsAt) this.hooks.onResponse(now - sentAt, this.status);
    if (CLOSE.test(this.head)) this.restart();
    else this.sendNext();
  }
}
