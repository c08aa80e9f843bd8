import { basename, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { AlsOptions } from '../../src/recommend/als/index.js';
import { DEFAULT_FOLDS, type Protocol } from '../../src/recommend/evaluation/runner.js';

export interface EvaluateCommand {
  /** The dataset folder (ratings.csv, or ratings.dat / u.data). */
  readonly data: string;
  /** Where the JSON report goes. */
  readonly out: string;
  readonly protocols: readonly Protocol[];
  /** Seed of the splits and of ALS. */
  readonly seed: number;
  /** Only the ALS options given on the command line; the rest are ALS's defaults. */
  readonly als: Partial<AlsOptions>;
  /** Protocol B's folds over users; 1 is the single 10% split. */
  readonly folds: number;
  readonly foldinRegularization?: number;
  readonly blendWeight?: number;
  /** Protocol A through run folders, one per engine (e.g. inprocess, spark-local), instead of the protocols. */
  readonly engines?: readonly EvaluationEngine[];
  /** Protocol A on the model of this finished run folder (trained on the split --engines writes). */
  readonly scoreRun?: string;
}

export const EVALUATION_ENGINES = ['inprocess', 'spark-local'] as const;
export type EvaluationEngine = (typeof EVALUATION_ENGINES)[number];

export const EVALUATE_USAGE = `usage: npm run evaluate -- [--data DIR] [--out FILE] [--protocol A|B|both] [--seed N] [--folds N]
    [--rank N] [--iterations N] [--regularization X] [--alpha X] [--threads N]
    [--foldin-regularization X] [--blend-weight W]
    [--engines inprocess,spark-local] [--score-run RUN_FOLDER]
  Protocol A (known users) and B (new users) on a MovieLens folder; prints a table and writes JSON.
  Protocol B runs --folds seeded folds over users (each user held out once, ALS retrained per fold; 1: a single
  10% split); its *-tuned rows choose fold-in's λ and the blend weight on validation users inside each fold.
  Defaults: --data $MOVIELENS_DIR or ../shared/movielens/ml-latest-small, --out artifacts/evaluation-<folder>.json,
  --protocol both, --seed 42, --folds ${DEFAULT_FOLDS}, ALS options as in training (rank 64, 15 iterations).
  --engines: protocol A through run folders instead: the split's training ratings go to
  artifacts/evaluation-runs/<folder>-seed<N>/train/ratings.csv, each engine trains on them in run-<engine>/ with the
  same parameters, and its model/ is scored (users' factors by one exact half-step on their training ratings);
  prints each engine's figures and the Recall@20 ratio. --score-run scores any finished run folder trained on
  that ratings.csv (a Dataproc run, say).`;

/** Parses the evaluate command's arguments; throws a one-line message on anything wrong. */
export function parseEvaluateArgs(
  args: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  root: string,
  defaultData: string,
): EvaluateCommand | 'help' {
  const { values } = oneLineErrors(() => parseArgs({
    args: [...args],
    options: {
      data: { type: 'string' },
      out: { type: 'string' },
      protocol: { type: 'string', default: 'both' },
      seed: { type: 'string', default: '42' },
      folds: { type: 'string', default: String(DEFAULT_FOLDS) },
      rank: { type: 'string' },
      iterations: { type: 'string' },
      regularization: { type: 'string' },
      alpha: { type: 'string' },
      threads: { type: 'string' },
      'foldin-regularization': { type: 'string' },
      'blend-weight': { type: 'string' },
      engines: { type: 'string' },
      'score-run': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: false,
  }));
  if (values.help) return 'help';

  const protocols = protocolList(values.protocol);
  const seed = integer('--seed', values.seed, 0, Number.MAX_SAFE_INTEGER);
  const folds = integer('--folds', values.folds, 1, 1000);
  const als: Partial<AlsOptions> = { seed };
  const setAls = <K extends keyof AlsOptions>(key: K, value: AlsOptions[K] | undefined): void => {
    if (value !== undefined) (als as Record<K, AlsOptions[K]>)[key] = value;
  };
  setAls('rank', optional(values.rank, (t) => integer('--rank', t, 1, 1024)));
  setAls('iterations', optional(values.iterations, (t) => integer('--iterations', t, 1, 10_000)));
  setAls('regularization', optional(values.regularization, (t) => real('--regularization', t, (x) => x > 0, 'a number > 0')));
  setAls('alpha', optional(values.alpha, (t) => real('--alpha', t, (x) => x >= 0, 'a number ≥ 0')));
  setAls('threads', optional(values.threads, (t) => integer('--threads', t, 1, 256)));
  const foldinRegularization = optional(values['foldin-regularization'], (t) =>
    real('--foldin-regularization', t, (x) => x >= 0, 'a number ≥ 0'),
  );
  const blendWeight = optional(values['blend-weight'], (t) => real('--blend-weight', t, (x) => x >= 0 && x <= 1, 'a number in [0, 1]'));

  const engines = optional(values.engines, engineList);
  const scoreRun = optional(values['score-run'], (t) => resolve(t));
  if (engines !== undefined && scoreRun !== undefined) throw new Error('--engines and --score-run cannot be combined');
  const data = resolve(values.data ?? env.MOVIELENS_DIR ?? defaultData);
  const kind = engines !== undefined ? 'engines-' : scoreRun !== undefined ? 'run-' : '';
  const out = values.out !== undefined ? resolve(values.out) : resolve(root, 'artifacts', `evaluation-${kind}${basename(data)}.json`);
  return {
    data,
    out,
    protocols,
    seed,
    als,
    folds,
    ...(foldinRegularization === undefined ? {} : { foldinRegularization }),
    ...(blendWeight === undefined ? {} : { blendWeight }),
    ...(engines === undefined ? {} : { engines }),
    ...(scoreRun === undefined ? {} : { scoreRun }),
  };
}

function engineList(text: string): EvaluationEngine[] {
  const names = text.split(',').map((name) => name.trim()).filter((name) => name !== '');
  if (names.length === 0) throw new Error(`--engines needs at least one of ${EVALUATION_ENGINES.join(', ')}`);
  for (const name of names) {
    if (!(EVALUATION_ENGINES as readonly string[]).includes(name)) throw new Error(`--engines: unknown engine "${name}" (known: ${EVALUATION_ENGINES.join(', ')})`);
  }
  if (new Set(names).size !== names.length) throw new Error(`--engines lists an engine twice: "${text}"`);
  return names as EvaluationEngine[];
}

/** node:util's parseArgs explains some mistakes over several lines; the command prints one. */
function oneLineErrors<T>(parse: () => T): T {
  try {
    return parse();
  } catch (error) {
    throw new Error((error as Error).message.replace(/\s*\n\s*/g, ' '), { cause: error });
  }
}

function protocolList(text: string): Protocol[] {
  switch (text.toUpperCase()) {
    case 'A':
      return ['A'];
    case 'B':
      return ['B'];
    case 'BOTH':
      return ['A', 'B'];
    default:
      throw new Error(`--protocol must be A, B or both, got "${text}"`);
  }
}

function optional<T>(text: string | undefined, parse: (text: string) => T): T | undefined {
  return text === undefined ? undefined : parse(text);
}

function integer(flag: string, text: string, min: number, max: number): number {
  const value = /^-?\d+$/.test(text.trim()) ? Number(text) : NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new Error(`${flag} must be a whole number from ${min} to ${max}, got "${text}"`);
  }
  return value;
}

function real(flag: string, text: string, ok: (x: number) => boolean, expected: string): number {
  const value = text.trim() === '' ? NaN : Number(text);
  if (!Number.isFinite(value) || !ok(value)) throw new Error(`${flag} must be ${expected}, got "${text}"`);
  return value;
}
