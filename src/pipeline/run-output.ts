/**
 * The run-folder contract (docs/run-folder.md), the output side: recommendations.jsonl, model/ and metrics.json,
 * read only once `_SUCCESS` exists and validated whole before anything is imported; any flaw is an error naming
 * file and line. Every candidate is then explained ("because you picked …") under the run's own model.
 */
import { explainCandidates, type CandidateExplanations } from '../recommend/explain.js';
import { prepareModel, type PreparedModel } from '../recommend/foldin.js';
import type { ItemFactorModel } from '../recommend/model.js';
import { isRecord, parseJsonLines, show, utf8 } from './jsonl.js';
import { readModel } from './model-folder.js';
import { METRICS_FILE, MODEL_DIR, PARAMS_FILE, RECOMMENDATIONS_FILE, SUCCESS_FILE, unrecommendable, type RunUser } from './run-folder.js';
import type { RunFolder } from './run-files.js';
import { parseRunParams } from './run-params.js';

export interface RecommendedMovie {
  readonly movie: number;
  readonly score: number;
}

/** A candidate as imported: the engine's movie and score, and the pick contributing most to it under the model. */
export interface ExplainedCandidate extends RecommendedMovie {
  readonly because: number;
}

export interface RunOutput {
  /** App user id → up to params.candidates candidates, best first, each explained. */
  readonly candidates: Map<string, ExplainedCandidate[]>;
  readonly model: ItemFactorModel;
  readonly metrics: Record<string, unknown>;
}

/**
 * The outputs of a finished run for exactly `expectedUsers`, or null while `_SUCCESS` is missing.
 * Each user gets params.candidates movies (fewer only when the model has fewer unpicked movies), distinct, none
 * picked, all in the model, finite scores best first; each is explained by fold-in over the user's picks.
 */
export async function readRunOutput(folder: RunFolder, expectedUsers: readonly RunUser[]): Promise<RunOutput | null> {
  if (!(await folder.exists(SUCCESS_FILE))) return null;
  const paramsName = folder.pathOf(PARAMS_FILE);
  const paramsBytes = await folder.read(PARAMS_FILE);
  if (paramsBytes === null) throw new Error(`${paramsName}: missing`);
  const params = parseRunParams(utf8(paramsBytes, paramsName), paramsName);

  const model = await readModel(folder, MODEL_DIR);
  if (model.rank !== params.rank) {
    throw new Error(`${folder.pathOf(`${MODEL_DIR}/manifest.json`)}: rank ${model.rank}, but params.json asked for ${params.rank}`);
  }
  const recommendations = await readRecommendations(folder, expectedUsers, model, params.candidates);
  const metrics = await readMetrics(folder);
  const candidates = explainAll(prepareModel(model), expectedUsers, recommendations, params.pickRating, folder.pathOf(RECOMMENDATIONS_FILE));
  return { candidates, model, metrics };
}

/**
 * Each user's candidates with their `because`: fold-in contributions, the explanation that matches the engine's ALS
 * user (every pick counted at the run's pickRating, every seen movie at its rating, the model's own confidence and
 * regularization); `because` is the pick contributing most (seen movies shape the score but are not "picked").
 */
function explainAll(
  prepared: PreparedModel,
  users: readonly RunUser[],
  recommendations: ReadonlyMap<string, RecommendedMovie[]>,
  pickRating: number,
  name: string,
): Map<string, ExplainedCandidate[]> {
  const out = new Map<string, ExplainedCandidate[]>();
  for (const { user, movies, rated = [] } of users) {
    const items = recommendations.get(user)!;
    if (items.length === 0) {
      out.set(user, []);
      continue;
    }
    const explainers = [...movies, ...rated.map((r) => r.movie)];
    const ratings = [...movies.map(() => pickRating), ...rated.map((r) => r.rating)];
    let because: number[];
    try {
      if (!movies.some((id) => prepared.itemIndex.has(id))) throw new Error(`none of the picks (${movies.join(', ')}) is in the model: nothing explains the candidates`);
      const explained = explainCandidates(prepared, explainers, items.map((item) => item.movie), { method: 'foldin', ratings });
      because = largestPickPart(explained, new Set(movies));
    } catch (err) {
      throw new Error(`${name}: user ${show(user)}: ${(err as Error).message}`, { cause: err });
    }
    out.set(user, items.map((item, c) => ({ movie: item.movie, score: item.score, because: because[c] })));
  }
  return out;
}

/** Per candidate, the pick (of `picks`) with the largest contribution; ties: the earlier one. */
function largestPickPart(explained: CandidateExplanations, picks: ReadonlySet<number>): number[] {
  const width = explained.picks.length;
  const columns = [...explained.picks.keys()].filter((j) => picks.has(explained.picks[j]));
  const because: number[] = [];
  for (let c = 0; c * width < explained.contributions.length; c++) {
    let best = columns[0];
    for (const j of columns) if (explained.contributions[c * width + j] > explained.contributions[c * width + best]) best = j;
    because.push(explained.picks[best]);
  }
  return because;
}

async function readRecommendations(
  folder: RunFolder,
  expectedUsers: readonly RunUser[],
  model: ItemFactorModel,
  candidates: number,
): Promise<Map<string, RecommendedMovie[]>> {
  const name = folder.pathOf(RECOMMENDATIONS_FILE);
  const bytes = await folder.read(RECOMMENDATIONS_FILE);
  if (bytes === null) throw new Error(`${name}: missing`);
  const inModel = new Set(model.itemIds);
  const picksOf = new Map(expectedUsers.map((u) => [u.user, new Set(u.movies)]));
  const notWantedOf = new Map(expectedUsers.map((u) => [u.user, new Set(unrecommendable(u))]));
  const lineOf = new Map<string, number>();
  const out = new Map<string, RecommendedMovie[]>();

  for (const { line, value } of parseJsonLines(utf8(bytes, name), name)) {
    const at = `${name}:${line}`;
    if (!isRecord(value)) throw new Error(`${at}: expected {"user": "...", "items": [...]}`);
    const { user, items } = value;
    if (typeof user !== 'string') throw new Error(`${at}: user is ${show(user)}, expected a string`);
    const picks = picksOf.get(user);
    if (picks === undefined) throw new Error(`${at}: user ${show(user)} was not asked for in this run`);
    const earlier = lineOf.get(user);
    if (earlier !== undefined) throw new Error(`${at}: user ${show(user)} appears twice (first at line ${earlier})`);
    lineOf.set(user, line);
    if (!Array.isArray(items)) throw new Error(`${at}: items is ${show(items)}, expected an array`);

    const notWanted = notWantedOf.get(user)!;
    let notWantedInModel = 0;
    for (const id of notWanted) if (inModel.has(id)) notWantedInModel++;
    const expected = Math.min(candidates, model.itemIds.length - notWantedInModel);
    if (items.length !== expected) throw new Error(`${at}: ${items.length} items for user ${show(user)}, expected ${expected}`);

    const seen = new Set<number>();
    out.set(
      user,
      items.map((item: unknown, i) => {
        const where = `${at}: items[${i}]`;
        if (!isRecord(item)) throw new Error(`${where} is ${show(item)}, expected {"movie": id, "score": x}`);
        const { movie, score } = item;
        if (!Number.isSafeInteger(movie) || (movie as number) <= 0) throw new Error(`${where}.movie is ${show(movie)}, expected a movie id`);
        const id = movie as number;
        if (typeof score !== 'number' || !Number.isFinite(score)) throw new Error(`${where}.score is ${show(score)}, expected a finite number`);
        if (!inModel.has(id)) throw new Error(`${where}: movie ${id} is not in the run's model`);
        if (picks.has(id)) throw new Error(`${where}: movie ${id} is one of the user's picks`);
        if (notWanted.has(id)) throw new Error(`${where}: movie ${id} is one the user has seen or excluded`);
        if (seen.has(id)) throw new Error(`${where}: movie ${id} is listed twice`);
        seen.add(id);
        return { movie: id, score };
      }),
    );
    const list = out.get(user)!;
    for (let i = 1; i < list.length; i++) {
      if (list[i].score > list[i - 1].score) throw new Error(`${at}: items[${i}] scores higher than items[${i - 1}]; expected best first`);
    }
  }

  const missing = expectedUsers.filter((u) => !out.has(u.user)).map((u) => u.user);
  if (missing.length > 0) {
    const shown = missing.slice(0, 5).map((u) => JSON.stringify(u)).join(', ');
    throw new Error(`${name}: no recommendations for ${missing.length} of the ${expectedUsers.length} users asked for (${shown}${missing.length > 5 ? ', …' : ''})`);
  }
  return out;
}

async function readMetrics(folder: RunFolder): Promise<Record<string, unknown>> {
  const name = folder.pathOf(METRICS_FILE);
  const bytes = await folder.read(METRICS_FILE);
  if (bytes === null) throw new Error(`${name}: missing`);
  let metrics: unknown;
  try {
    metrics = JSON.parse(utf8(bytes, name));
  } catch (err) {
    throw new Error(`${name}: not valid JSON (${(err as Error).message})`, { cause: err });
  }
  if (!isRecord(metrics)) throw new Error(`${name}: expected a JSON object`);
  return metrics;
}
