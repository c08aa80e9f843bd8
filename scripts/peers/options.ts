/** bench-peers' command line: datasets, parameters, peers. Pure (no I/O), so it is tested on its own. */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { defaultAlsOptions } from '../../src/recommend/als/index.js';
import { PRESETS, type SyntheticShape } from '../../src/synthetic/shapes.js';

/**
 * The engines bench-peers can train, in run order; the first three by default. 'moviehunter-unscaled' is
 * MovieHunter's ALS with implicit's objective (the same λ for every row, mapped as for implicit): it tells a
 * difference of implementation from a difference of objective.
 */
export const PEERS = ['moviehunter', 'spark', 'implicit', 'moviehunter-unscaled'] as const;
export type PeerName = (typeof PEERS)[number];
const DEFAULT_PEERS: readonly PeerName[] = ['moviehunter', 'spark', 'implicit'];

/** The named datasets: real ml-latest-small, and synthetic sets generated once into data/synthetic/<folder>-seed1. */
export const DATASETS: Readonly<Record<string, { readonly folder?: string; readonly shape?: SyntheticShape }>> = {
  'ml-latest-small': {},
  // The bench's --quick set (1/25 of ml-25m), shared with npm run bench.
  'synthetic-1m': { folder: 'quick-1m', shape: { users: 6_502, movies: 10_000, ratings: 1_000_004 } },
  'synthetic-5m': { folder: 'synthetic-5m', shape: { users: 32_508, movies: 30_000, ratings: 5_000_019 } },
  'ml-25m': { folder: 'ml-25m', shape: PRESETS['ml-25m'] },
  // --smoke: seconds for every peer, Spark's JVM start included.
  smoke: { folder: 'smoke', shape: { users: 120, movies: 300, ratings: 4_000 } },
};

/** The data seed of the synthetic sets (npm run bench's default, so both share the folders). */
export const SYNTHETIC_SEED = 1;

export interface BenchPeersCommand {
  /** A MovieLens folder, or null: the named dataset (generated if synthetic and missing). */
  readonly data: string | null;
  readonly dataset: string;
  readonly rank: number;
  readonly iterations: number;
  readonly regularization: number;
  readonly alpha: number;
  readonly seed: number;
  readonly peers: readonly PeerName[];
  /** The peers that also train protocol B's folds (default: all of them); on ml-25m Spark's second training is long. */
  readonly peersB: readonly PeerName[] | null;
  /** implicit's own λ; null: the mapping of `regularization` (peer_implicit.py). */
  readonly implicitRegularization: number | null;
  /** The local Spark JVM's heap; null: by the number of ratings. */
  readonly sparkMemory: string | null;
  /** Protocol B's folds over users; null: 10 up to 200,000 ratings (ml-latest-small), else 1 (a single 10% split). */
  readonly folds: number | null;
  /** At most this many users evaluated per protocol (a seeded sample, the same for every model). */
  readonly evalUsers: number;
  /** Run the original's best-movies preparation beside the core's; null: when the dataset has ≤ 2M ratings. */
  readonly notebook: boolean | null;
  readonly smoke: boolean;
  readonly out: string;
  readonly timeoutMinutes: number;
  readonly keepWork: boolean;
}

export const BENCH_PEERS_USAGE = `usage: scripts/bench-peers [--dataset NAME | --data DIR] [--rank N] [--iterations N]
    [--regularization X] [--alpha X] [--seed N] [--peers moviehunter,spark,implicit[,moviehunter-unscaled]] [--b-peers LIST] [--implicit-regularization X]
    [--spark-memory SIZE] [--folds N] [--eval-users N] [--notebook | --no-notebook] [--smoke] [--out FILE] [--timeout-minutes N]
    [--keep-work]
  Trains MovieHunter's ALS, Spark MLlib's ALS (local[*]) and the implicit library's CPU ALS in turn on the same
  split with the same parameters; reports each one's training time (the fit alone), peak memory, and protocols A
  and B scored by the core's evaluator on the exported factors. A table, and JSON in --out.
  --dataset     ${Object.keys(DATASETS).join(', ')} (default ml-latest-small; synthetic sets are generated
                into data/synthetic/ when missing)
  --data DIR    any MovieLens folder instead
  --b-peers     the peers that also train for protocol B (default: every peer); the others report protocol A only
  --peers       moviehunter-unscaled (not by default): MovieHunter's ALS with implicit's unscaled λ, to tell a
                difference of implementation from one of objective
  defaults      rank 64, 15 iterations, λ ${defaultAlsOptions.regularization} (× each row's ratings), alpha ${defaultAlsOptions.alpha}, seed 42, every peer,
                --eval-users 3000 (per protocol, a seeded sample), --out artifacts/bench-peers-<dataset>.json
  --folds N     protocol B's folds over users, each a training of every peer (default 10 up to 200,000 ratings,
                else 1: a single 10% split)
  --smoke       the tiny synthetic set, rank 8, 3 iterations: seconds (CI runs it)`;

/** Parses the arguments; throws a one-line message on anything wrong. */
export function parseBenchPeersArgs(args: readonly string[], root: string): BenchPeersCommand | 'help' {
  const { values } = parseArgs({
    args: [...args],
    options: {
      dataset: { type: 'string' },
      data: { type: 'string' },
      rank: { type: 'string' },
      iterations: { type: 'string' },
      regularization: { type: 'string' },
      alpha: { type: 'string' },
      seed: { type: 'string', default: '42' },
      peers: { type: 'string' },
      'b-peers': { type: 'string' },
      'implicit-regularization': { type: 'string' },
      'spark-memory': { type: 'string' },
      folds: { type: 'string' },
      'eval-users': { type: 'string', default: '3000' },
      notebook: { type: 'boolean' },
      'no-notebook': { type: 'boolean' },
      smoke: { type: 'boolean' },
      out: { type: 'string' },
      'timeout-minutes': { type: 'string', default: '120' },
      'keep-work': { type: 'boolean' },
      help: { type: 'boolean', short: 'h' },
    },
    strict: true,
    allowPositionals: false,
  });
  if (values.help) return 'help';
  const smoke = values.smoke === true;
  if (values.data !== undefined && values.dataset !== undefined) throw new Error('--data and --dataset cannot be combined');
  const dataset = values.dataset ?? (values.data !== undefined ? basenameOf(values.data) : smoke ? 'smoke' : 'ml-latest-small');
  if (values.data === undefined && !Object.hasOwn(DATASETS, dataset)) {
    throw new Error(`--dataset must be one of ${Object.keys(DATASETS).join(', ')}, got "${dataset}"`);
  }
  if (values.notebook && values['no-notebook']) throw new Error('--notebook and --no-notebook cannot be combined');
  const memory = values['spark-memory'];
  if (memory !== undefined && !/^\d+[mg]$/i.test(memory)) throw new Error(`--spark-memory must look like 2g or 512m, got "${memory}"`);
  return {
    data: values.data === undefined ? null : resolve(values.data),
    dataset,
    rank: integer('--rank', values.rank ?? (smoke ? '8' : String(defaultAlsOptions.rank)), 1, 1024),
    iterations: integer('--iterations', values.iterations ?? (smoke ? '3' : String(defaultAlsOptions.iterations)), 1, 10_000),
    regularization: real('--regularization', values.regularization ?? String(defaultAlsOptions.regularization), (x) => x > 0),
    alpha: real('--alpha', values.alpha ?? String(defaultAlsOptions.alpha), (x) => x >= 0),
    seed: integer('--seed', values.seed, 0, 2 ** 31 - 1),
    peers: peerList(values.peers),
    peersB: values['b-peers'] === undefined ? null : peerList(values['b-peers']),
    implicitRegularization:
      values['implicit-regularization'] === undefined ? null : real('--implicit-regularization', values['implicit-regularization'], (x) => x > 0),
    sparkMemory: memory ?? null,
    folds: values.folds !== undefined ? integer('--folds', values.folds, 1, 100) : smoke ? 1 : null,
    evalUsers: integer('--eval-users', values['eval-users'], 1, 10_000_000),
    notebook: values.notebook ? true : values['no-notebook'] ? false : null,
    smoke,
    out: values.out !== undefined ? resolve(values.out) : resolve(root, 'artifacts', `bench-peers-${dataset}.json`),
    timeoutMinutes: integer('--timeout-minutes', values['timeout-minutes'], 1, 24 * 60),
    keepWork: values['keep-work'] === true,
  };
}

function basenameOf(path: string): string {
  return resolve(path).split('/').filter(Boolean).pop() ?? 'data';
}

function peerList(text: string | undefined): PeerName[] {
  if (text === undefined) return [...DEFAULT_PEERS];
  const names = text.split(',').map((name) => name.trim()).filter((name) => name !== '');
  const unknown = names.filter((name) => !(PEERS as readonly string[]).includes(name));
  if (names.length === 0 || unknown.length > 0) throw new Error(`--peers: unknown peer "${unknown.join(', ') || text}" (known: ${PEERS.join(', ')})`);
  if (new Set(names).size !== names.length) throw new Error(`--peers lists a peer twice: "${text}"`);
  return PEERS.filter((name) => names.includes(name));
}

function integer(flag: string, text: string, min: number, max: number): number {
  const value = /^\d+$/.test(text.trim()) ? Number(text) : NaN;
  if (!Number.isSafeInteger(value) || value < min || value > max) throw new Error(`${flag} must be a whole number from ${min} to ${max}, got "${text}"`);
  return value;
}

function real(flag: string, text: string, ok: (x: number) => boolean): number {
  const value = text.trim() === '' ? NaN : Number(text);
  if (!Number.isFinite(value) || !ok(value)) throw new Error(`${flag} is out of range: "${text}"`);
  return value;
}
