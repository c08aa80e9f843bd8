/**
 * The run-folder contract (docs/run-folder.md), the input side: the tick writes picks.jsonl and params.json (and its own
 * claims.json); engines read them back with readRunInput. The output side is ./run-output.ts.
 */
import { parseJsonLines, isRecord, show, utf8 } from './jsonl.js';
import { formatRunParams, parseRunParams, type RunParams } from './run-params.js';
import type { RunFolder } from './run-files.js';

export const PICKS_FILE = 'picks.jsonl';
export const PARAMS_FILE = 'params.json';
/** The tick's own record of which generation of each user it claimed; engines ignore it. */
export const CLAIMS_FILE = 'claims.json';
export const RECOMMENDATIONS_FILE = 'recommendations.jsonl';
export const METRICS_FILE = 'metrics.json';
export const MODEL_DIR = 'model';
/** Written last by an engine: the outputs are complete. */
export const SUCCESS_FILE = '_SUCCESS';
/** Written instead of _SUCCESS when a run fails: the reason, one line of text. */
export const FAILED_FILE = '_FAILED';

/** One app user as an engine sees it: an opaque id and the picked movie ids. */
export interface RunUser {
  readonly user: string;
  readonly movies: readonly number[];
}

export interface RunInput {
  readonly users: readonly RunUser[];
  readonly params: RunParams;
}

/** Writes params.json then picks.jsonl (one line per user); refuses a folder that already holds a finished run. */
export async function writeRunInput(folder: RunFolder, input: RunInput): Promise<void> {
  if ((await folder.exists(SUCCESS_FILE)) || (await folder.exists(FAILED_FILE))) {
    throw new Error(`${folder.location}: already holds a finished run`);
  }
  const users = input.users.map((u, i) => checkRunUser({ user: u.user, movies: u.movies }, `users[${i}]`));
  checkDistinctUsers(users.map((u, i) => ({ user: u.user, where: `users[${i}]` })));
  await folder.write(PARAMS_FILE, formatRunParams(input.params));
  await folder.write(PICKS_FILE, users.map((u) => `${JSON.stringify({ user: u.user, movies: u.movies })}\n`).join(''));
}

/** Reads and validates params.json and picks.jsonl; errors name the file (and line). */
export async function readRunInput(folder: RunFolder): Promise<RunInput> {
  const paramsName = folder.pathOf(PARAMS_FILE);
  const paramsBytes = await folder.read(PARAMS_FILE);
  if (paramsBytes === null) throw new Error(`${paramsName}: missing`);
  const params = parseRunParams(utf8(paramsBytes, paramsName), paramsName);

  const picksName = folder.pathOf(PICKS_FILE);
  const picksBytes = await folder.read(PICKS_FILE);
  if (picksBytes === null) throw new Error(`${picksName}: missing`);
  const lines = parseJsonLines(utf8(picksBytes, picksName), picksName);
  const users = lines.map(({ line, value }) => checkRunUser(value, `${picksName}:${line}`));
  checkDistinctUsers(users.map((u, i) => ({ user: u.user, where: `${picksName}:${lines[i].line}` })));
  return { users, params };
}

/** claims.json: the generation of each claimed user, so a later tick (even after a restart) can import results. */
export async function writeClaims(folder: RunFolder, generations: ReadonlyMap<string, number>): Promise<void> {
  await folder.write(CLAIMS_FILE, `${JSON.stringify({ generations: Object.fromEntries(generations) })}\n`);
}

export async function readClaims(folder: RunFolder): Promise<Map<string, number>> {
  const name = folder.pathOf(CLAIMS_FILE);
  const bytes = await folder.read(CLAIMS_FILE);
  if (bytes === null) throw new Error(`${name}: missing`);
  let raw: unknown;
  try {
    raw = JSON.parse(utf8(bytes, name));
  } catch (err) {
    throw new Error(`${name}: not valid JSON (${(err as Error).message})`, { cause: err });
  }
  if (!isRecord(raw) || !isRecord(raw.generations)) throw new Error(`${name}: expected {"generations": {user: generation}}`);
  const out = new Map<string, number>();
  for (const [user, generation] of Object.entries(raw.generations)) {
    if (!Number.isSafeInteger(generation) || (generation as number) < 1) {
      throw new Error(`${name}: generation of ${show(user)} is ${show(generation)}, expected an integer ≥ 1`);
    }
    out.set(user, generation as number);
  }
  return out;
}

function checkRunUser(value: unknown, where: string): RunUser {
  if (!isRecord(value)) throw new Error(`${where}: expected {"user": "...", "movies": [...]}`);
  const { user, movies } = value;
  if (typeof user !== 'string' || user === '') throw new Error(`${where}: user is ${show(user)}, expected a non-empty string`);
  if (!Array.isArray(movies) || movies.length === 0) throw new Error(`${where}: movies is ${show(movies)}, expected a non-empty array of movie ids`);
  const seen = new Set<number>();
  for (const id of movies) {
    if (!Number.isSafeInteger(id) || (id as number) <= 0 || (id as number) > 2147483647) {
      throw new Error(`${where}: movie id ${show(id)} is not a positive 32-bit integer`);
    }
    if (seen.has(id as number)) throw new Error(`${where}: movie ${id} is picked twice`);
    seen.add(id as number);
  }
  return { user, movies: movies as number[] };
}

function checkDistinctUsers(users: readonly { user: string; where: string }[]): void {
  const first = new Map<string, string>();
  for (const { user, where } of users) {
    const seen = first.get(user);
    if (seen !== undefined) throw new Error(`${where}: user ${show(user)} appears twice (first at ${seen})`);
    first.set(user, where);
  }
}
