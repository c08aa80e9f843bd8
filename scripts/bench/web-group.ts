/**
 * Issue 3's web targets, measured for real: the compiled server (`node dist/src/server.js`) as a child process on a
 * free loopback port with a fresh temporary DATA_DIR, driven over HTTP from this process.
 *   1. first start, model trained on the way: spawn → first 200 from /readyz; SIGTERM, wait for the exit;
 *   2. start again on the same DATA_DIR (model on disk): spawn → first 200 from /readyz;
 *   3. sign up, then `rounds` times: PUT 5 picks (different each time) → GET /api/v1/me/recommendations every 50 ms
 *      until `ready` with 48 items;
 *   4. GET /api/v1/me/recommendations/quick (the stored 12) and POST /api/v1/recommendations/quick (computed each
 *      time, anonymous, with its session's CSRF token), sequential over one keep-alive connection each, after a warm-up;
 *   5. GET /api/v1/movies?q= with every keystroke prefix of real titles (popular ones more often).
 * The server runs with BCRYPT_COST=4 (sign-up is not what is measured; cost 12 would add ~0.2 s to set-up only) and
 * LOG_LEVEL=warn. The child is stopped at the end whatever happens, and killed if this process exits first.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { ratingCounts } from '../../src/catalog/catalog.js';
import { loadDataset } from '../../src/catalog/dataset.js';
import { loadConfig } from '../../src/config.js';
import { baseModelDirIn } from '../../src/pipeline/base-model.js';
import { createRandom } from '../../src/recommend/random.js';
import { movielensSmallDir } from './datasets.js';
import { median, percentile } from './measure.js';
import type { BenchGroup, Recorder } from './rows.js';
import { keystrokeQueries } from './search-group.js';
import { likedPickSets } from './small-group.js';
import { expectJson, freePort, ServerProcess, WebClient } from './web-http.js';

export interface WebCounts {
  /** PUT picks → ready, each with other picks. */
  readonly pickRounds: number;
  readonly quickWarmup: number;
  /** Timed requests, each of GET and POST quick. */
  readonly quickRequests: number;
  readonly searchWarmup: number;
  readonly searches: number;
}

export const WEB_COUNTS: WebCounts = { pickRounds: 3, quickWarmup: 100, quickRequests: 1_000, searchWarmup: 200, searches: 2_000 };
export const WEB_COUNTS_QUICK: WebCounts = { pickRounds: 2, quickWarmup: 50, quickRequests: 300, searchWarmup: 100, searches: 500 };

/** The whole group, start-ups and trainings included; past it the unmeasured rows are ERROR. */
const GROUP_TIMEOUT_MS = 3 * 60_000;
const START_TIMEOUT_MS = 60_000;
const READY_TIMEOUT_MS = 60_000;
const POLL_MS = 50;
const PICKS = 5;

export function webGroup(quick: boolean, seed: number, counts: WebCounts = quick ? WEB_COUNTS_QUICK : WEB_COUNTS, timeoutMs = GROUP_TIMEOUT_MS): BenchGroup {
  return {
    name: `web server over HTTP, ml-latest-small${quick ? ' (quick: fewer requests)' : ''}`,
    specs: [
      { id: 'web.firstStart', figure: 'web: first start incl. first training (spawn → /readyz 200)', limit: 15, unit: 's' },
      { id: 'web.restart', figure: 'web: start-up to ready, model already trained', limit: 3, unit: 's' },
      { id: 'web.picksReady', figure: `web: PUT /me/picks → 48 recs ready (slowest of ${counts.pickRounds})`, limit: 10, unit: 's' },
      { id: 'web.quickGet', figure: 'web: GET /me/recommendations/quick p99 (stored 12)', limit: 15, unit: 'ms' },
      { id: 'web.quickPost', figure: 'web: POST /recommendations/quick p99 (computed; GET target)', limit: 15, unit: 'ms' },
      { id: 'web.search', figure: 'web: title search GET /movies?q= p99', limit: 5, unit: 'ms' },
    ],
    async run(record) {
      let timedOut = false;
      const guarded: Recorder = (id, value, note) => {
        if (!timedOut) record(id, value, note);
      };
      const dataDir = mkdtempSync(join(tmpdir(), 'moviehunter-bench-web-'));
      const servers: ServerProcess[] = [];
      let timer: NodeJS.Timeout | undefined;
      const work = measureWeb(guarded, { dataDir, seed, counts, servers, aborted: () => timedOut });
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          timedOut = true;
          reject(new Error(`web group timed out after ${timeoutMs / 1000} s`));
        }, timeoutMs);
      });
      try {
        await Promise.race([work, timeout]);
      } finally {
        clearTimeout(timer);
        work.catch(() => undefined); // after a time-out its own failure no longer matters
        for (const server of servers) await server.stop();
        rmSync(dataDir, { recursive: true, force: true });
      }
    },
  };
}

interface WebRun {
  readonly dataDir: string;
  readonly seed: number;
  readonly counts: WebCounts;
  /** Every server started, for the caller to stop whatever happens. */
  readonly servers: ServerProcess[];
  readonly aborted: () => boolean;
}

interface RecommendationsView {
  state: string;
  items?: unknown[];
  reason?: string;
}

async function measureWeb(record: Recorder, { dataDir, seed, counts, servers, aborted }: WebRun): Promise<void> {
  const check = () => {
    if (aborted()) throw new Error('aborted');
  };
  // Everything this side needs, before any server runs: picks people would make, what they would type.
  const movielensDir = movielensSmallDir();
  const { movies, ratings } = await loadDataset(movielensDir);
  const rng = createRandom(seed);
  const pickSets = distinct(likedPickSets(ratings, counts.pickRounds * 4, rng).map((set) => set.slice(0, PICKS))).slice(0, counts.pickRounds);
  if (pickSets.length < counts.pickRounds) throw new Error(`only ${pickSets.length} distinct pick sets`);
  const postBodies = likedPickSets(ratings, counts.quickWarmup + counts.quickRequests, rng);
  const byId = ratingCounts(ratings);
  const popularity = Float64Array.from(movies, (m) => byId.get(m.id) ?? 0);
  const queries = keystrokeQueries(movies, popularity, counts.searchWarmup + counts.searches, rng).slice(0, counts.searchWarmup + counts.searches);
  if (queries.length < counts.searchWarmup + counts.searches) throw new Error(`only ${queries.length} search queries`);

  const port = await freePort();
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'development',
    PORT: String(port),
    DATA_DIR: dataDir,
    MOVIELENS_DIR: movielensDir,
    LOG_LEVEL: 'warn',
    BCRYPT_COST: '4',
  };
  const config = loadConfig(env);
  const start = async (): Promise<{ server: ServerProcess; readyMs: number }> => {
    check();
    const server = new ServerProcess(port, env);
    servers.push(server);
    return { server, readyMs: await server.waitReady(performance.now() + START_TIMEOUT_MS, aborted) };
  };

  // 1. First start: no model in DATA_DIR, so the start-up trains one.
  const first = await start();
  if (!existsSync(baseModelDirIn(dataDir))) throw new Error(`the first start left no model in ${baseModelDirIn(dataDir)}`);
  const stopped = await first.server.stop();
  const stopNote = stopped.killed ? 'did not stop on SIGTERM (killed)' : `SIGTERM → exit ${stopped.info.signal ?? stopped.info.code} in ${Math.round(stopped.ms)} ms`;
  record('web.firstStart', first.readyMs / 1000, `fresh DATA_DIR, trains rank ${config.ALS_RANK} × ${config.ALS_ITERATIONS}; ${stopNote}`);

  // 2. Start again on the same DATA_DIR: the model is loaded, not trained.
  const { server, readyMs } = await start();
  record('web.restart', readyMs / 1000, 'same DATA_DIR, model on disk');

  // 3. Sign up, then picks → 48 ready, `pickRounds` times with other picks.
  const user = new WebClient(port);
  const anonymous = new WebClient(port);
  try {
    user.csrfToken = (await user.json<{ csrfToken: string }>('GET', '/api/v1/session')).csrfToken;
    const signedUp = await user.json<{ csrfToken: string }>('POST', '/api/v1/users', { username: 'bench_user', email: 'bench@example.com', password: 'bench-password-1' }, 201);
    user.csrfToken = signedUp.csrfToken;
    const seconds: number[] = [];
    for (const picks of pickSets) {
      const t0 = performance.now();
      await user.json('PUT', '/api/v1/me/picks', { movieIds: picks });
      for (;;) {
        check();
        const view = await user.json<RecommendationsView>('GET', '/api/v1/me/recommendations');
        if (view.state === 'ready' && view.items?.length === 48) break;
        if (view.state === 'failed') throw new Error(`recommendations failed: ${view.reason ?? 'no reason given'}`);
        if (view.state === 'ready') throw new Error(`ready with ${view.items?.length ?? 0} items, expected 48`);
        if (performance.now() - t0 > READY_TIMEOUT_MS) throw new Error(`picks not ready after ${READY_TIMEOUT_MS / 1000} s (state ${view.state})`);
        await sleep(POLL_MS);
      }
      seconds.push((performance.now() - t0) / 1000);
    }
    record(
      'web.picksReady',
      Math.max(...seconds),
      `median ${median(seconds).toFixed(2)} s of ${seconds.map((s) => s.toFixed(2)).join(', ')}; ${PICKS} picks, polled every ${POLL_MS} ms; TICK_SECONDS ${config.TICK_SECONDS}, BCRYPT_COST 4`,
    );

    // 4. Quick: the logged-in user's stored 12, then the anonymous computed 12.
    user.connections = 0;
    const quickGet = await timeRequests(counts.quickWarmup, counts.quickRequests, check, async () => user.send('GET', '/api/v1/me/recommendations/quick'), (a) => {
      const items = expectJson<{ items: unknown[] }>(a, 'GET /api/v1/me/recommendations/quick').items;
      if (items.length !== 12) throw new Error(`GET quick: ${items.length} items, expected 12`);
    });
    record('web.quickGet', percentile(quickGet, 99), `${summary(quickGet)} over ${counts.quickRequests} requests, ${connectionNote(user)}`);

    anonymous.csrfToken = (await anonymous.json<{ csrfToken: string }>('GET', '/api/v1/session')).csrfToken;
    anonymous.connections = 0;
    let n = 0;
    const quickPost = await timeRequests(counts.quickWarmup, counts.quickRequests, check, async () => anonymous.send('POST', '/api/v1/recommendations/quick', { movieIds: postBodies[n++] }), (a) => {
      const items = expectJson<{ items: unknown[] }>(a, 'POST /api/v1/recommendations/quick').items;
      if (items.length !== 12) throw new Error(`POST quick: ${items.length} items, expected 12`);
    });
    record('web.quickPost', percentile(quickPost, 99), `${summary(quickPost)}, ${counts.quickRequests} pick sets of 5–10, QUICK_METHOD ${config.QUICK_METHOD}, ${connectionNote(anonymous)}`);

    // 5. Search as the picker types, logged in.
    user.connections = 0;
    let q = 0;
    let empty = 0;
    const search = await timeRequests(counts.searchWarmup, counts.searches, check, async () => user.send('GET', `/api/v1/movies?q=${encodeURIComponent(queries[q++])}`), (a) => {
      if (expectJson<{ items: unknown[] }>(a, 'GET /api/v1/movies').items.length === 0) empty++;
    });
    // `empty` counts the warm-up too (so does queries.length): a sanity figure, the queries should mostly match.
    record('web.search', percentile(search, 99), `${summary(search)} over ${counts.searches} keystroke prefixes of real titles, ${Math.round((100 * empty) / queries.length)}% without a match, ${connectionNote(user)}`);
  } finally {
    user.close();
    anonymous.close();
  }
  await server.stop();
}

/** Milliseconds of `timed` sequential requests after `warmup` untimed ones; every answer is checked after its clock stops. */
async function timeRequests<A>(warmup: number, timed: number, check: () => void, send: () => Promise<A>, verify: (answer: A) => void): Promise<Float64Array> {
  for (let n = 0; n < warmup; n++) verify(await send());
  const out = new Float64Array(timed);
  for (let n = 0; n < timed; n++) {
    if ((n & 63) === 0) check();
    const t0 = performance.now();
    const answer = await send();
    out[n] = performance.now() - t0;
    verify(answer);
  }
  return out;
}

/** Whether the timed requests really shared one kept-alive connection (counted since the last reset). */
function connectionNote(client: WebClient): string {
  return client.connections === 0 ? 'one keep-alive connection' : `keep-alive, but ${client.connections} new connection(s) opened`;
}

function summary(ms: Float64Array): string {
  return `p50 ${percentile(ms, 50).toFixed(2)} ms, max ${percentile(ms, 100).toFixed(1)} ms`;
}

function distinct(sets: number[][]): number[][] {
  const seen = new Set<string>();
  return sets.filter((set) => {
    const key = [...set].sort((a, b) => a - b).join(',');
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
