/** params.json of the run-folder contract: the model's training parameters plus what the engine needs to run. */
import { z } from 'zod';
import type { ModelParams } from '../recommend/model.js';

/** Full recommendations shown per user. */
export const RUN_TOP_N = 48;
/** Candidates an engine writes per user, best first: the import explains them all and the 48 shown come from them. */
export const RUN_CANDIDATES = 300;
/** Picks carry no rating: each counts as a liked movie rated 5, the top of MovieLens' 0.5–5 scale (as fold-in does). */
export const PICK_RATING = 5;
/**
 * The rating a movie marked "seen" without stars is trained with: the middle of the 1–5 scale, a watched movie the
 * user said nothing more about (a weaker positive than a pick, as implicit ALS reads every rating > 0 as a watch).
 */
export const SEEN_RATING = 3;

export interface RunParams extends ModelParams {
  /** Recommendations shown per user. */
  readonly topN: number;
  /** Candidates written per user (≥ topN); params.json of older runs lacks it and means topN. */
  readonly candidates: number;
  /** The rating each pick is added with. */
  readonly pickRating: number;
  /** Absolute path (or URI) of the MovieLens ratings file the app users are added to. */
  readonly ratingsPath: string;
}

const finite = z.number().refine(Number.isFinite, 'must be a finite number');

const schema = z.strictObject({
  rank: z.number().int().min(1).max(1024),
  iterations: z.number().int().min(1).max(10_000),
  regularization: finite.refine((v) => v > 0, 'must be > 0'),
  alpha: finite.refine((v) => v >= 0, 'must be ≥ 0'),
  ratingThreshold: finite.nullable(),
  scaleRegularization: z.boolean(),
  seed: z.number().int(),
  topN: z.number().int().min(1).max(10_000),
  candidates: z.number().int().min(1).max(10_000).optional(),
  pickRating: finite.refine((v) => v > 0, 'must be > 0'),
  ratingsPath: z.string().min(1),
});

/** The JSON written to params.json, keys in the contract's order. */
export function formatRunParams(params: RunParams): string {
  return `${JSON.stringify(checkRunParams(params, 'params'), null, 2)}\n`;
}

/** Parses params.json text; errors name the file and each bad field. */
export function parseRunParams(text: string, name: string): RunParams {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new Error(`${name}: not valid JSON (${(err as Error).message})`, { cause: err });
  }
  return checkRunParams(raw, name);
}

function checkRunParams(raw: unknown, name: string): RunParams {
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(params)'} ${issue.message}`);
    throw new Error(`${name}: ${problems.join('; ')}`);
  }
  const { topN, candidates = topN, pickRating, ratingsPath, ...model } = parsed.data;
  if (candidates < topN) throw new Error(`${name}: candidates ${candidates} is fewer than topN ${topN}`);
  return { ...model, topN, candidates, pickRating, ratingsPath };
}

/** The training parameters alone, as a model manifest keeps them. */
export function modelParamsOf(params: RunParams): ModelParams {
  const { rank, iterations, regularization, alpha, ratingThreshold, scaleRegularization, seed } = params;
  return { rank, iterations, regularization, alpha, ratingThreshold, scaleRegularization, seed };
}
