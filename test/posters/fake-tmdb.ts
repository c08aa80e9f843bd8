/**
 * A stand-in for TMDB's API on 127.0.0.1: GET /3/movie/<id>?api_key=… answers what the test scripted for that id
 * (a poster, none, 404, 429, 500, or never) in TMDB's shapes (movie details; the error envelope), and records each
 * request and how many ran at once.
 */
import { createServer, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type FakeAnswer =
  | { kind: 'poster'; path: string | null }
  | { kind: 'status'; status: number; headers?: Record<string, string>; body?: string }
  | { kind: 'hang' };

export interface FakeTmdb {
  /** http://127.0.0.1:<port>/3 */
  readonly apiUrl: string;
  /** Every request URL (path and query), in order. */
  readonly requests: string[];
  /** The most requests that were in progress at once. */
  readonly maxConcurrent: number;
  /** The answers for a TMDB id, one per request in turn; the last one repeats. Default: a poster /p<id>.jpg. */
  script(tmdbId: number, ...answers: FakeAnswer[]): void;
  /** Every answer waits this long first. */
  delayMs: number;
  /** Forgets scripts, requests and the delay; ends hanging requests and waits until none is in progress. */
  reset(): Promise<void>;
  close(): Promise<void>;
}

export async function startFakeTmdb(apiKey: string): Promise<FakeTmdb> {
  const scripts = new Map<number, FakeAnswer[]>();
  const requests: string[] = [];
  let running = 0;
  let maxConcurrent = 0;
  const hanging = new Set<ServerResponse>();

  const server: Server = createServer((req, res) => {
    requests.push(req.url ?? '');
    running++;
    maxConcurrent = Math.max(maxConcurrent, running);
    res.on('close', () => running--);
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const match = /^\/3\/movie\/(\d+)$/.exec(url.pathname);
    // TMDB's error envelope: { success: false, status_code, status_message }.
    if (url.searchParams.get('api_key') !== apiKey) {
      return send(res, 401, { success: false, status_code: 7, status_message: 'Invalid API key: You must be granted a valid key.' });
    }
    if (!match) return send(res, 404, { success: false, status_code: 34, status_message: 'The resource you requested could not be found.' });
    const id = Number(match[1]);
    const queue = scripts.get(id) ?? [];
    const answer = (queue.length > 1 ? queue.shift() : queue[0]) ?? { kind: 'poster', path: `/p${id}.jpg` };
    setTimeout(() => {
      if (answer.kind === 'hang') return void hanging.add(res);
      if (answer.kind === 'poster') return send(res, 200, movieDetails(id, answer.path));
      res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers });
      res.end(answer.body ?? '{}');
    }, fake.delayMs);
  });

  /** The shape of TMDB's movie details (GET /3/movie/{movie_id}), the fields a client might read. */
  function movieDetails(id: number, posterPath: string | null) {
    return {
      adult: false,
      backdrop_path: `/b${id}.jpg`,
      belongs_to_collection: null,
      budget: 0,
      genres: [{ id: 18, name: 'Drama' }],
      homepage: '',
      id,
      imdb_id: `tt${String(id).padStart(7, '0')}`,
      original_language: 'en',
      original_title: `Movie ${id}`,
      overview: 'A movie.',
      popularity: 1.5,
      poster_path: posterPath,
      release_date: '1995-10-30',
      runtime: 90,
      status: 'Released',
      tagline: '',
      title: `Movie ${id}`,
      video: false,
      vote_average: 7.1,
      vote_count: 100,
    };
  }

  function send(res: ServerResponse, status: number, body: unknown) {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const fake: FakeTmdb = {
    apiUrl: `http://127.0.0.1:${port}/3`,
    requests,
    get maxConcurrent() {
      return maxConcurrent;
    },
    script: (tmdbId, ...answers) => void scripts.set(tmdbId, answers),
    delayMs: 0,
    async reset() {
      for (const res of hanging) res.destroy();
      hanging.clear();
      const deadline = Date.now() + 2000;
      while (running > 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 5));
      scripts.clear();
      requests.length = 0;
      maxConcurrent = 0;
      fake.delayMs = 0;
    },
    async close() {
      for (const res of hanging) res.destroy();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
  return fake;
}
