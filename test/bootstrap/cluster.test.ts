/**
 * The compiled server with WEB_WORKERS=2, for real: a node:cluster primary and two web workers on one loopback port.
 * Every request here goes on a connection of its own, so the primary hands them to the workers in turn (the request
 * log says which worker answered). A log-in limit is counted across both workers, and a CSRF token one worker made is
 * good in the other (one session secret); exactly one tick timer runs, also after its worker is killed and replaced;
 * a killed worker is replaced with no request lost but the one it held; SIGTERM stops every process cleanly.
 */
import { after, afterEach, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { movielensDir } from '../support/movielens.js';
import { ServerChild, freePort } from '../faults/server-child.js';

/** The server's shutdown deadline (src/bootstrap/shutdown.ts), and the slack a busy machine gets on top. */
const SHUTDOWN_DEADLINE_MS = 10_000;
const SLACK_MS = 3_000;
const TICK_TOKEN = 'tick-token-of-the-cluster-test';

const dataDirs: string[] = [];
const children: ServerChild[] = [];
afterEach(async () => {
  for (const child of children.splice(0)) await child.kill();
});
after(() => {
  for (const dir of dataDirs) rmSync(dir, { recursive: true, force: true });
});

interface LogLine {
  msg: string;
  worker?: number;
  pid?: number;
  role?: string;
  req?: { method: string; url: string };
  res?: { statusCode: number };
}

function logLines(server: ServerChild): LogLine[] {
  return server
    .output()
    .split('\n')
    .flatMap((line) => {
      try {
        return [JSON.parse(line) as LogLine];
      } catch {
        return [];
      }
    });
}

/** A cluster of two web workers on a fresh DATA_DIR, once both serve the model (a small one: rank 8, 5 iterations). */
async function startCluster(more: Record<string, string> = {}): Promise<ServerChild> {
  const server = await ServerChild.start(await freePort(), clusterEnv(more));
  children.push(server);
  await until(server, () => workersWith(server, 'model in service: quick recommendations are ready').size === 2, 'both workers serve the model');
  return server;
}

/** The environment of a two-worker cluster on a fresh DATA_DIR. */
function clusterEnv(more: Record<string, string> = {}): Record<string, string> {
  const dataDir = mkdtempSync(join(tmpdir(), 'moviehunter-cluster-'));
  dataDirs.push(dataDir);
  return {
    NODE_ENV: 'test',
    LOG_LEVEL: 'info',
    DATA_DIR: dataDir,
    MOVIELENS_DIR: movielensDir(),
    ALS_RANK: '8',
    ALS_ITERATIONS: '5',
    BCRYPT_COST: '4',
    WEB_WORKERS: '2',
    ...more,
  };
}

/** The ids of the workers that logged `msg`. */
function workersWith(server: ServerChild, msg: string, lines = logLines(server)): Set<number> {
  return new Set(lines.filter((l) => l.msg === msg && l.worker !== undefined).map((l) => l.worker!));
}

/** The pid of the worker with this id (from its lines). */
function pidOf(server: ServerChild, worker: number): number {
  const line = logLines(server).find((l) => l.worker === worker && l.pid !== undefined);
  assert.ok(line, `no line of worker ${worker}`);
  return line.pid!;
}

async function until(server: ServerChild, done: () => boolean, what: string, withinMs = 60_000): Promise<void> {
  const deadline = Date.now() + withinMs;
  while (!done()) {
    assert.ok(server.running, `the server exited before ${what}:\n${server.tail()}`);
    assert.ok(Date.now() < deadline, `not within ${withinMs} ms: ${what}\n${server.tail()}`);
    await sleep(25);
  }
}

interface Answer {
  status: number;
  body: string;
  cookies: string[];
}

/** One request on a new connection (no keep-alive), so the primary hands it to the next worker. */
function freshRequest(server: ServerChild, method: string, path: string, headers: Record<string, string> = {}, body?: unknown): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = httpRequest(
      `${server.url}${path}`,
      { method, agent: false, headers: { ...headers, connection: 'close', ...(payload ? { 'content-type': 'application/json' } : {}) }, timeout: 10_000 },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text, cookies: (res.headers['set-cookie'] ?? []).map((c) => c.split(';')[0]) }));
        res.on('error', reject);
      },
    );
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
    req.end(payload);
  });
}

describe('a cluster of two web workers', () => {
  test('a log-in limit is counted across both workers, and either accepts the CSRF token the other made', { timeout: 120_000 }, async () => {
    const server = await startCluster({ RATE_LIMIT_LOGIN_PER_ACCOUNT: '3', RATE_LIMIT_LOGIN_PER_ADDRESS: '5' });
    const anonymous = await freshRequest(server, 'GET', '/api/v1/session');
    assert.equal(anonymous.status, 200);
    const headers = { cookie: anonymous.cookies.join('; '), 'x-csrf-token': (JSON.parse(anonymous.body) as { csrfToken: string }).csrfToken };
    const logIn = async (username: string) => (await freshRequest(server, 'POST', '/api/v1/session', headers, { username, password: 'not the password' })).status;

    // Per account (and address): 3 failures, then 429, though each worker alone has seen at most 2.
    const perAccount = [];
    for (let i = 0; i < 4; i++) perAccount.push(await logIn('nobody'));
    assert.deepEqual(perAccount, [401, 401, 401, 429]);
    // Per address: 5 counted so far with this one, the 6th is over the limit.
    assert.deepEqual([await logIn('somebody'), await logIn('anybody')], [401, 429]);

    const attempts = () => logLines(server).filter((l) => l.req?.method === 'POST' && l.req.url === '/api/v1/session');
    await until(server, () => attempts().length === 6, 'every attempt is in the request log', 5_000);
    const answered = attempts();
    assert.equal(new Set(answered.filter((l) => l.res?.statusCode === 401).map((l) => l.worker)).size, 2, 'both workers answered 401s (so both accepted the token)');
    assert.equal(new Set(answered.map((l) => l.worker)).size, 2);
  });

  test('exactly one tick timer runs, also after its worker is killed and replaced; picks on either worker are trained', { timeout: 180_000 }, async () => {
    const server = await startCluster({ LOG_LEVEL: 'debug', TICK_SECONDS: '1', TICK_TOKEN: TICK_TOKEN });
    const tickers = (lines: LogLine[]) => workersWith(server, 'tick', lines);
    await sleep(3_500);
    const before = logLines(server);
    assert.ok(before.filter((l) => l.msg === 'tick').length >= 3, `ticks every second:\n${server.tail()}`);
    assert.deepEqual([...tickers(before)], [1], 'only the pipeline worker (the first) ticks');

    process.kill(pidOf(server, 1), 'SIGKILL');
    await until(server, () => logLines(server).some((l) => l.msg === 'a web worker died; starting another' && l.role === 'pipeline'), 'the death is logged');
    await until(server, () => workersWith(server, 'MovieHunter listens on http://localhost:' + server.port + '/').has(3), 'a new pipeline worker listens');
    const killedAt = logLines(server).length;
    await sleep(3_500);
    const afterwards = logLines(server).slice(killedAt);
    assert.ok(afterwards.filter((l) => l.msg === 'tick').length >= 2, `the new pipeline worker ticks:\n${server.tail()}`);
    assert.deepEqual([...tickers(afterwards)], [3], 'only the new pipeline worker ticks');

    // POST /internal/tick answers with the pipeline worker's report on either worker.
    for (let i = 0; i < 2; i++) {
      const ticked = await freshRequest(server, 'POST', '/internal/tick', { authorization: `Bearer ${TICK_TOKEN}` });
      assert.equal(ticked.status, 200, ticked.body);
      assert.deepEqual(Object.keys(JSON.parse(ticked.body) as object).sort(), ['finished', 'problems', 'running', 'skipped', 'started']);
    }
    await until(server, () => workersWith(server, 'request completed', logLines(server).filter((l) => l.req?.url === '/internal/tick')).size === 2, 'both workers answered a tick', 5_000);

    // A user's picks saved through whichever worker: the pipeline worker trains them, every worker serves the new model.
    const anonymous = await freshRequest(server, 'GET', '/api/v1/session');
    const token = (JSON.parse(anonymous.body) as { csrfToken: string }).csrfToken;
    const created = await freshRequest(server, 'POST', '/api/v1/users', { cookie: anonymous.cookies.join('; '), 'x-csrf-token': token }, { username: 'clustered', email: 'c@example.com', password: 'a good password' });
    assert.equal(created.status, 201, created.body);
    const session = { cookie: created.cookies.join('; '), 'x-csrf-token': (JSON.parse(created.body) as { csrfToken: string }).csrfToken };
    assert.equal((await freshRequest(server, 'PUT', '/api/v1/me/picks', session, { movieIds: [1, 260, 318, 356, 593] })).status, 200);
    await until(server, () => logLines(server).some((l) => l.msg === 'run imported'), 'the run is imported');
    const runModel = (l: LogLine & { location?: string }) => l.msg === 'model in service' && (l.location ?? '').includes(join('runs', ''));
    await until(server, () => logLines(server).some((l) => l.worker === 2 && runModel(l)), 'the follower serves the run\'s model');
  });

  test('a killed worker is replaced, no request is lost but the one it held, and SIGTERM stops every process', { timeout: 120_000 }, async () => {
    const server = await startCluster();
    const follower = pidOf(server, 2);
    let stopped = false;
    const statuses: number[] = [];
    const traffic = (async () => {
      while (!stopped) statuses.push(await freshRequest(server, 'GET', '/api/v1/movies?q=toy&limit=5').then((a) => a.status, () => 0));
    })();
    await sleep(500);
    process.kill(follower, 'SIGKILL');
    await until(server, () => logLines(server).some((l) => l.msg === 'a web worker died; starting another' && l.pid === follower), 'the death is logged');
    await until(server, () => workersWith(server, 'model in service: quick recommendations are ready').has(3), 'the new worker serves the model');
    await sleep(500);
    stopped = true;
    await traffic;
    assert.ok(statuses.length > 20, `requests went on (${statuses.length})`);
    assert.ok(statuses.filter((s) => s !== 200).length <= 1, `at most the one request the killed worker held is lost: ${statuses.filter((s) => s !== 200).length} of ${statuses.length}`);
    // A query of their own: the traffic's last line may reach the log after its answer reached us.
    const later = [];
    for (let i = 0; i < 6; i++) later.push((await freshRequest(server, 'GET', '/api/v1/movies?q=alien&limit=5')).status);
    assert.deepEqual(later, [200, 200, 200, 200, 200, 200]);
    const laterAnswers = () => logLines(server).filter((l) => l.req?.url === '/api/v1/movies?q=alien&limit=5');
    await until(server, () => laterAnswers().length === 6, 'the later requests are in the request log', 5_000);
    assert.deepEqual(new Set(laterAnswers().map((l) => l.worker)), new Set([1, 3]), 'the first and the new worker answer');

    const began = Date.now();
    const exit = await server.stop(SHUTDOWN_DEADLINE_MS + SLACK_MS);
    assert.deepEqual([exit.code, exit.signal], [0, null], `a clean stop:\n${server.tail()}`);
    assert.ok(Date.now() - began < SHUTDOWN_DEADLINE_MS + SLACK_MS, 'the stop took longer than its deadline');
    assert.deepEqual(workersWith(server, 'web worker stopped'), new Set([1, 3]));
  });

  test('SIGTERM while the workers still start stops every process cleanly', { timeout: 60_000 }, async () => {
    const server = ServerChild.spawn(await freePort(), clusterEnv());
    children.push(server);
    await server.logged('starting the web workers');
    const began = Date.now();
    const exit = await server.stop(SHUTDOWN_DEADLINE_MS + SLACK_MS);
    assert.deepEqual([exit.code, exit.signal], [0, null], `a clean stop:\n${server.tail()}`);
    assert.ok(Date.now() - began < SHUTDOWN_DEADLINE_MS + SLACK_MS, 'the stop took longer than its deadline');
    assert.deepEqual(workersWith(server, 'web worker stopped'), new Set([1, 2]));
  });
});
