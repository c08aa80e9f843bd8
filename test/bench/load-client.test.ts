import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { encodeRequest, headerValues, openTraffic, runTraffic, type LoadResponse } from '../../scripts/bench/load-client.js';

type Handler = (req: IncomingMessage, body: string, res: ServerResponse) => void;

/** A real HTTP server on 127.0.0.1 that reads each request's body before `handle` answers it. */
async function withServer(handle: Handler, run: (port: number, seen: string[], server: Server) => Promise<void>): Promise<void> {
  const seen: string[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      seen.push(`${req.method} ${req.url} ${body}`);
      handle(req, body, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    await run((server.address() as AddressInfo).port, seen, server);
  } finally {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
}

test('an encoded request carries host, keep-alive, the headers and the body with its length', () => {
  const text = encodeRequest(8080, { method: 'POST', path: '/a?b=1', headers: { cookie: 'x=1' }, body: '{"é":1}' }).toString('utf8');
  assert.equal(text, 'POST /a?b=1 HTTP/1.1\r\nhost: 127.0.0.1:8080\r\nconnection: keep-alive\r\ncookie: x=1\r\ncontent-length: 8\r\n\r\n{"é":1}');
});

test('header values are read case-insensitively, every one of a repeated header', () => {
  const head = 'HTTP/1.1 200 OK\r\nSet-Cookie: a=1; Path=/\r\nContent-Type: text/plain\r\nset-cookie: b=2';
  assert.deepEqual(headerValues(head, 'set-cookie'), ['a=1; Path=/', 'b=2']);
  assert.deepEqual(headerValues(head, 'x-missing'), []);
});

test('connections walk their steps in order; a step built from a response reads its status, head and body', async () => {
  let sessions = 0;
  await withServer(
    (req, body, res) => {
      if (req.url === '/session') {
        sessions++;
        res.setHeader('set-cookie', [`sid=${sessions}; HttpOnly`]);
        // A big body, so it reaches the client in more than one chunk.
        res.end(JSON.stringify({ token: `t${sessions}`, pad: 'x'.repeat(200_000) }));
      } else if (req.url === '/login') {
        res.statusCode = body.includes(`"t${req.headers.cookie?.slice(4)}"`) ? 200 : 403;
        res.end('ok');
      } else {
        res.statusCode = 404;
        res.end();
      }
    },
    async (port, seen) => {
      const steps = [
        encodeRequest(port, { method: 'GET', path: '/session' }),
        (session: LoadResponse) => {
          const cookie = headerValues(session.head, 'set-cookie')[0].split(';')[0];
          const token = (JSON.parse(session.body.toString('utf8')) as { token: string }).token;
          return encodeRequest(port, { method: 'POST', path: '/login', headers: { cookie }, body: JSON.stringify({ token }) });
        },
      ];
      const result = await runTraffic({ port, connections: 2, durationSeconds: 0.5, timeoutSeconds: 5, steps: () => steps });
      assert.ok(result.requests >= 4, `${result.requests} responses`);
      assert.equal(result.errors, 0, result.firstError);
      assert.equal(result.non2xx, 0, 'every log-in carried its own session cookie and token');
      assert.equal(result.latenciesMs.length, result.requests);
      assert.ok(result.latenciesMs.every((ms) => ms > 0 && ms < 5000));
      assert.ok(seen.some((line) => line.startsWith('POST /login {"token":"t')));
    },
  );
});

test('non-2xx answers are counted; a server closing after its answer costs nothing; a chunked answer is an error', async () => {
  let chunkedCalls = 0;
  await withServer(
    (req, _body, res) => {
      if (req.url === '/missing') {
        res.statusCode = 404;
        res.end('no');
      } else if (req.url === '/close') {
        res.setHeader('connection', 'close');
        res.end('bye');
      } else if (req.url === '/chunked-later' && chunkedCalls++ === 0) {
        res.end('framed');
      } else {
        res.write('chunk');
        res.end();
      }
    },
    async (port) => {
      const steps = (path: string) => () => [encodeRequest(port, { method: 'GET', path })];
      const missing = await runTraffic({ port, connections: 1, durationSeconds: 0.3, timeoutSeconds: 5, steps: steps('/missing') });
      assert.ok(missing.requests > 0);
      assert.equal(missing.non2xx, missing.requests);
      assert.equal(missing.errors, 0);

      const closing = await runTraffic({ port, connections: 1, durationSeconds: 0.3, timeoutSeconds: 5, steps: steps('/close') });
      assert.ok(closing.requests > 1, 'the client reconnects after a closing answer');
      assert.equal(closing.errors, 0, closing.firstError);

      // Unframed at the first answer: the traffic does not open; later: counted, and the connection replaced.
      await assert.rejects(runTraffic({ port, connections: 1, durationSeconds: 0.3, timeoutSeconds: 5, steps: steps('/chunked') }), /chunked/);
      const chunked = await runTraffic({ port, connections: 1, durationSeconds: 0.3, timeoutSeconds: 5, steps: steps('/chunked-later') });
      assert.equal(chunked.requests, 0);
      assert.ok(chunked.errors > 0);
      assert.match(chunked.firstError ?? '', /chunked/);
    },
  );
});

test('a request unanswered past the timeout is counted and its connection replaced', async () => {
  let calls = 0;
  await withServer(
    (_req, _body, res) => {
      // The second request (the first of the run) is never answered; the rest are.
      if (calls++ !== 1) res.end('fine');
    },
    async (port) => {
      const result = await runTraffic({ port, connections: 1, durationSeconds: 0.6, timeoutSeconds: 0.2, steps: () => [encodeRequest(port, { method: 'GET', path: '/' })] });
      assert.equal(result.timeouts, 1);
      assert.ok(result.requests > 0, 'the new connection is answered');
      assert.equal(result.errors, 0, result.firstError);
    },
  );
});

test('connections open one at a time, each after the answer to the one before; the opening answers are not counted', async () => {
  let sockets = 0;
  const firstRequests: number[] = [];
  const known = new WeakSet<object>();
  await withServer(
    (req, _body, res) => {
      if (!known.has(req.socket)) {
        known.add(req.socket);
        firstRequests.push(sockets);
      }
      res.end('ok');
    },
    async (port, seen, server) => {
      server.on('connection', () => sockets++);
      const traffic = await openTraffic({ port, connections: 4, durationSeconds: 0.2, timeoutSeconds: 5, steps: () => [encodeRequest(port, { method: 'GET', path: '/' })] });
      // Each connection's first request came while it was the newest: the next one connected only after its answer.
      assert.deepEqual(firstRequests, [1, 2, 3, 4]);
      assert.equal(seen.length, 4);
      const result = await traffic.run();
      // Counted: every answer of the run but the ones still in flight when it ended (at most one per connection).
      assert.ok(result.requests <= seen.length - 4 && result.requests >= seen.length - 8, `${result.requests} of ${seen.length}`);
      assert.equal(sockets, 4, 'the run reuses the opened connections');
    },
  );
});
