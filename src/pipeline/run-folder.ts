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

/** A movie the user has seen, with the rating it is trained with (their stars, or SEEN_RATING without). */
export interface RatedMovie {
  readonly movie: number;
  readonly rating: number;
}

/**
 * One app user as an engine sees it: an opaque id, the picked movie ids, and from the user's reactions the movies
 * seen (trained as ratings) and not wanted (never recommended, never trained). picks.jsonl leaves `rated` and
 * `excluded` out when empty, and a line without them reads as empty.
 */
export interface RunUser {
  readonly user: string;
  readonly movies: readonly number[];
  readonly rated?: readonly RatedMovie[];
  readonly excluded?: readonly number[];
}

/** Every movie an engine must not recommend to the user: the picks, the seen and the excluded ones. */
export function unrecommendable(user: RunUser): number[] {
  return [...user.movies, ...(user.rated ?? []).map((r) => r.movie), ...(user.excluded ?? [])];
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
  const users = input.users.map((u, i) => checkRunUser({ ...u }, `users[${i}]`));
  checkDistinctUsers(users.map((u, i) => ({ user: u.user, where: `users[${i}]` })));
  await folder.write(PARAMS_FILE, formatRunParams(input.params));
  await folder.write(PICKS_FILE, users.map((u) => `${JSON.stringify(u)}\n`).join(''));
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

/** A checked copy with exactly the contract's keys, `rated` and `excluded` only when non-empty. */
function checkRunUser(value: unknown, where: string): RunUser {
  if (!isRecord(value)) throw new Error(`${where}: expected {"user": "...", "movies": [...]}`);
  const { user, movies, rated = [], excluded = [] } = value;
  if (typeof user !== 'string' || user === '') throw new Error(`${where}: user is ${show(user)}, expected a non-empty string`);
  if (!Array.isArray(movies) || movies.length === 0) throw new Error(`${where}: movies is ${show(movies)}, expected a non-empty array of movie ids`);
  const listed = new Map<number, string>();
  const take = (raw: unknown, as: string): number => {
    if (!Number.isSafeInteger(raw) || (raw as number) <= 0 || (raw as number) > 2147483647) {
      throw new Error(`${where}: movie id ${show(raw)} is not a positive 32-bit integer`);
    }
    const id = raw as number;
    const earlier = listed.get(id);
    if (earlier === as) throw new Error(`${where}: movie ${id} is ${as} twice`);
    if (earlier !== undefined) throw new Error(`${where}: movie ${id} is both ${earlier} and ${as}`);
    listed.set(id, as);
    return id;
  };
  const out = { user, movies: movies.map((id) => take(id, 'picked')) };
  if (!Array.isArray(rated)) throw new Error(`${where}: rated is ${show(rated)}, expected an array of {"movie": id, "rating": x}`);
  const ratedOut = rated.map((entry: unknown): RatedMovie => {
    if (!isRecord(entry)) throw new Error(`${where}: rated entry ${show(entry)}, expected {"movie": id, "rating": x}`);
    const movie = take(entry.movie, 'rated');
    if (typeof entry.rating !== 'number' || !Number.isFinite(entry.rating) || entry.rating <= 0) {
      throw new Error(`${where}: the rating of movie ${movie} is ${show(entry.rating)}, expected a number > 0`);
    }
    return { movie, rating: entry.rating };
  });
  if (!Array.isArray(excluded)) throw new Error(`${where}: excluded is ${show(excluded)}, expected an array of movie ids`);
  const excludedOut = excluded.map((id) => take(id, 'excluded'));
  return {
    ...out,
    ...(ratedOut.length > 0 ? { rated: ratedOut } : {}),
    ...(excludedOut.length > 0 ? { excluded: excludedOut } : {}),
  };
}

function checkDistinctUsers(users: readonly { user: string; where: string }[]): void {
  const first = new Map<string, string>();
  for (const { user, where } of users) {
    const seen = first.get(user);
    if (seen !== undefined) throw new Error(`${where}: user ${show(user)} appears twice (first at ${seen})`);
    first.set(user, where);
  }
}
