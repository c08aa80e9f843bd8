import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { isPresetName, PRESETS, shapeProblem, type SyntheticShape } from '../../src/synthetic/shapes.js';

export interface SyntheticCommand extends SyntheticShape {
  readonly seed: number;
  readonly out: string;
}

export const SYNTHETIC_USAGE = `usage: npm run synthetic -- [--preset ml-latest-small|ml-25m] [--users N --movies N --ratings N] [--seed N] [--out DIR]
  Writes a MovieLens-format folder (movies.csv, links.csv, ratings.csv) with long-tailed popularity and activity.
  Sizes given with a preset override it. Default seed 1; default folder data/synthetic/<preset or sizes>-seed<N>.`;

/** The folder a shape and seed go to unless --out says otherwise. */
export function defaultSyntheticDir(root: string, name: string, seed: number): string {
  return resolve(root, 'data', 'synthetic', `${name}-seed${seed}`);
}

/** Parses the synthetic command's arguments; throws a one-line message on anything wrong. */
export function parseSyntheticArgs(args: readonly string[], root: string): SyntheticCommand | 'help' {
  const { values } = parseArgs({
    args: [...args],
    options: {
      preset: { type: 'string' },
      users: { type: 'string' },
      movies: { type: 'string' },
      ratings: { type: 'string' },
      seed: { type: 'string', default: '1' },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
  });
  if (values.help) return 'help';
  let base: SyntheticShape | undefined;
  if (values.preset !== undefined) {
    if (!isPresetName(values.preset)) throw new Error(`--preset must be one of ${Object.keys(PRESETS).join(', ')}, got "${values.preset}"`);
    base = PRESETS[values.preset];
  }
  const size = (name: 'users' | 'movies' | 'ratings'): number => {
    const text = values[name];
    if (text === undefined) {
      if (base) return base[name];
      throw new Error(`--${name} is required without --preset`);
    }
    return wholeNumber(`--${name}`, text);
  };
  const shape = { users: size('users'), movies: size('movies'), ratings: size('ratings') };
  const problem = shapeProblem(shape);
  if (problem) throw new Error(problem);
  const seed = wholeNumber('--seed', values.seed);
  if (seed > 0xffffffff) throw new Error(`--seed must be below 2^32, got ${seed}`);
  const sameAsPreset = base && shape.users === base.users && shape.movies === base.movies && shape.ratings === base.ratings;
  const name = sameAsPreset ? (values.preset as string) : `u${shape.users}-m${shape.movies}-r${shape.ratings}`;
  const out = values.out !== undefined ? resolve(values.out) : defaultSyntheticDir(root, name, seed);
  return { ...shape, seed, out };
}

/** Accepts 25000095 and 25_000_095; anything else is an error naming the flag. */
function wholeNumber(flag: string, text: string): number {
  const cleaned = text.replace(/_/g, '');
  if (!/^\d+$/.test(cleaned)) throw new Error(`${flag} must be a whole number, got "${text}"`);
  return Number(cleaned);
}
