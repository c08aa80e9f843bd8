/** bench-peers' report: its JSON shape, the targets of the issue, and the terminal table. Pure. */
import type { QuickMethod } from '../../src/recommend/quick.js';
import type { PeerIteration } from './export-format.js';
import type { PeerName } from './options.js';
import type { ScoredA, ScoredB } from './scoring.js';

export interface PeerReport {
  readonly engine: PeerName;
  readonly status: 'ok' | 'failed';
  /** Why the peer could not run (status failed), or why its protocol B is missing (status ok). */
  readonly reason?: string;
  readonly version?: string;
  /** The peer's own parameters as it trained (implicit's λ after the mapping, Spark's blocks …). */
  readonly params?: Record<string, unknown>;
  /** Protocol A's training set: the wall time of the fit call alone (the headline figure). */
  readonly trainSeconds?: number;
  /** Protocol B's training sets (90% of the users, or k−1 of k folds): the mean over folds. */
  readonly trainSecondsB?: number;
  /** Protocol A's training, per iteration (loss: MovieHunter's objective on the peer's factors). */
  readonly iterations?: readonly PeerIteration[];
  /** Peak summed RSS of the peer's process tree during load and training (protocol A's run). */
  readonly peakRssBytes?: number;
  /** The same over the whole child process (export included). */
  readonly peakRssBytesOverall?: number;
  /** The child process from start to exit (interpreter or JVM start, reading, training, export). */
  readonly wallSeconds?: number;
  readonly protocolA?: ScoredA;
  readonly protocolB?: Readonly<Partial<Record<QuickMethod, ScoredB>>>;
}

export interface NotebookReport {
  readonly ratings: number;
  /** The original's preparation (pandas), from its description. */
  readonly notebook: { readonly readSeconds: number; readonly prepareSeconds: number; readonly rankSeconds: number; readonly pandas: string };
  /** The core: loading the dataset (ratings and movies), and bestMovies (overall and every genre; load excluded). */
  readonly core: { readonly loadSeconds: number; readonly bestMoviesSeconds: number };
  readonly agreement: {
    readonly top: number;
    /** Movies in both top lists. */
    readonly overlap: number;
    readonly top10Overlap: number;
    /** Spearman's ρ between the two ranks of the movies in both lists (null with fewer than 2). */
    readonly spearman: number | null;
  };
  readonly notebookTop: readonly number[];
  readonly coreTop: readonly number[];
}

export interface TargetRow {
  readonly id: string;
  readonly target: string;
  /** The figure compared with the limit (a ratio), null when it could not be measured. */
  readonly measured: number | null;
  readonly limit: number;
  /** 'max': measured ≤ limit holds; 'min': measured ≥ limit holds. */
  readonly kind: 'max' | 'min';
  readonly holds: boolean | null;
  readonly note: string;
}

export interface BenchPeersReport {
  readonly kind: 'bench-peers';
  readonly startedAt: string;
  readonly seconds: number;
  readonly smoke: boolean;
  readonly dataset: string;
  readonly dataDir: string;
  readonly data: { readonly users: number; readonly items: number; readonly ratings: number };
  readonly params: { readonly rank: number; readonly iterations: number; readonly regularization: number; readonly alpha: number; readonly seed: number; readonly scaleRegularization: true };
  readonly split: {
    readonly A: { readonly fraction: number; readonly threshold: number; readonly trainRatings: number; readonly heldOut: number; readonly evaluatedUsers: number };
    /** folds 1: 10% of the users held out once; k: every user held out in one of k folds (a training per fold). */
    readonly B: { readonly folds: number; readonly threshold: number; readonly picks: number; readonly trainUsers: number; readonly trainRatings: number; readonly heldOutUsers: number; readonly evaluatedUsers: number };
  };
  /** QUICK_METHOD: the method the app serves, the one the B targets use. */
  readonly servedQuickMethod: QuickMethod;
  readonly machine: { readonly node: string; readonly cpus: number; readonly cpu: string; readonly memoryBytes: number; readonly loadAverage: readonly number[] };
  readonly baselines: { readonly A: Readonly<Record<string, ScoredA>>; readonly B: Readonly<Record<string, ScoredB>> };
  readonly peers: readonly PeerReport[];
  readonly targets: readonly TargetRow[];
  readonly notebook: NotebookReport | { readonly skipped: string };
}

/** "Clearly above" in protocol B: at least this much better, relatively. */
export const CLEARLY_ABOVE = 1.05;
/** Protocol A: within 2% (relative) of the better peer. */
export const RECALL_TOLERANCE = 0.98;

/** The issue's targets, from the peers' figures. Ratios; null where a side is missing. */
export function targetRows(report: Pick<BenchPeersReport, 'peers' | 'baselines' | 'params' | 'servedQuickMethod'>): TargetRow[] {
  const ok = (engine: PeerName): PeerReport | undefined => report.peers.find((p) => p.engine === engine && p.status === 'ok');
  const mh = ok('moviehunter');
  const spark = ok('spark');
  const implicit = ok('implicit');
  const atTargetParams = report.params.rank === 64 && report.params.iterations === 15;
  const paramsNote = atTargetParams ? '' : ` (targets are set at rank 64 × 15 iterations; this run: rank ${report.params.rank} × ${report.params.iterations})`;
  const rows: TargetRow[] = [];
  const row = (id: string, target: string, measured: number | null, limit: number, kind: 'max' | 'min', note: string): void => {
    const holds = measured === null || !Number.isFinite(measured) ? null : kind === 'max' ? measured <= limit : measured >= limit;
    rows.push({ id, target, measured: measured !== null && Number.isFinite(measured) ? measured : null, limit, kind, holds, note: note + paramsNote });
  };
  const secs = (p: PeerReport | undefined): number | null => p?.trainSeconds ?? null;
  const ratio = (a: number | null, b: number | null): number | null => (a === null || b === null || b === 0 ? null : a / b);

  row('time.spark', 'training time ≤ 0.25 × Spark MLlib (local)', ratio(secs(mh), secs(spark)), 0.25, 'max',
    spark ? `${fmt(secs(mh))} s vs ${fmt(secs(spark))} s` : 'Spark did not run');
  row('time.implicit', 'training time ≤ 3 × implicit', ratio(secs(mh), secs(implicit)), 3, 'max',
    implicit ? `${fmt(secs(mh))} s vs ${fmt(secs(implicit))} s` : 'implicit did not run');

  const recall = (p: PeerReport | undefined): number | null => p?.protocolA?.metrics.recallAt20 ?? null;
  const peers = [spark, implicit].filter((p): p is PeerReport => recall(p) !== null);
  const better = peers.length === 0 ? undefined : peers.reduce((a, b) => (recall(b)! > recall(a)! ? b : a));
  row('quality.a', 'Recall@20 (A) ≥ the better peer’s − 2% (relative)', ratio(recall(mh), recall(better)), RECALL_TOLERANCE, 'min',
    better ? `${fmt(recall(mh), 4)} vs ${better.engine} ${fmt(recall(better), 4)}` : 'no peer scored');

  const method = report.servedQuickMethod;
  const b = (p: PeerReport | undefined, m: QuickMethod): number | null => p?.protocolB?.[m]?.metrics.recallAt12 ?? null;
  const popularity = report.baselines.B.popularity?.metrics.recallAt12 ?? null;
  row('quality.b.popularity', `Recall@12 (B, ${method}) clearly above popularity (≥ ${CLEARLY_ABOVE}×)`, ratio(b(mh, method), popularity), CLEARLY_ABOVE, 'min',
    `${fmt(b(mh, method), 4)} vs ${fmt(popularity, 4)}`);
  // The original system: Spark's ALS and picks·V·Vᵀ (itemsim) for new users.
  const original = spark ? b(spark, 'itemsim') : null;
  const bestMethod = (['foldin', 'itemsim', 'blend'] as const).reduce((top, m) => ((b(mh, m) ?? -1) > (b(mh, top) ?? -1) ? m : top), method);
  row('quality.b.original', `Recall@12 (B, ${method}) clearly above the original's quick method (itemsim on Spark's model, ≥ ${CLEARLY_ABOVE}×)`,
    ratio(b(mh, method), original), CLEARLY_ABOVE, 'min',
    `${spark ? `${fmt(b(mh, method), 4)} vs ${fmt(original, 4)}` : 'Spark did not run'}; MovieHunter's best method here: ${bestMethod} ${fmt(b(mh, bestMethod), 4)}`);
  return rows;
}

function fmt(value: number | null, digits = 2): string {
  return value === null ? '–' : value.toFixed(digits);
}

/** The terminal table: one row per engine and baseline, then the targets. */
export function formatPeersTable(report: BenchPeersReport): string {
  const methods: QuickMethod[] = ['foldin', 'itemsim', 'blend'];
  const header = ['model', 'train s', 's/iter', 'B train s', 'peak RSS', 'P@10', 'R@20', 'NDCG@10', 'Cov@10', ...methods.map((m) => `R@12 ${m}`), 'NDCG@12 itemsim'];
  const gb = (bytes: number | undefined): string => (bytes === undefined ? '-' : `${(bytes / 1e9).toFixed(2)} GB`);
  const num = (value: number | undefined, digits: number): string => (value === undefined ? '-' : value.toFixed(digits));
  const rows: string[][] = [];
  for (const p of report.peers) {
    if (p.status !== 'ok') {
      rows.push([p.engine, `FAILED: ${p.reason ?? 'unknown'}`]);
      continue;
    }
    const a = p.protocolA?.metrics;
    const perIteration = p.trainSeconds !== undefined ? p.trainSeconds / report.params.iterations : undefined;
    rows.push([
      p.engine,
      num(p.trainSeconds, 2),
      num(perIteration, 3),
      num(p.trainSecondsB, 2),
      gb(p.peakRssBytes),
      num(a?.precisionAt10, 4),
      num(a?.recallAt20, 4),
      num(a?.ndcgAt10, 4),
      num(a?.coverageAt10, 4),
      ...methods.map((m) => num(p.protocolB?.[m]?.metrics.recallAt12, 4)),
      num(p.protocolB?.itemsim?.metrics.ndcgAt12, 4),
    ]);
  }
  for (const name of Object.keys(report.baselines.A)) {
    const a = report.baselines.A[name]?.metrics;
    const b = report.baselines.B[name]?.metrics;
    rows.push([name, '-', '-', '-', '-', num(a?.precisionAt10, 4), num(a?.recallAt20, 4), num(a?.ndcgAt10, 4), num(a?.coverageAt10, 4),
      num(b?.recallAt12, 4), '-', '-', num(b?.ndcgAt12, 4)]);
  }
  const widths = header.map((h, c) => Math.max(h.length, ...rows.filter((r) => r.length === header.length).map((r) => r[c].length)));
  const line = (cells: string[]): string =>
    cells.length !== header.length ? cells.join('  ') : cells.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  ').trimEnd();
  const targets = report.targets.map((t) => {
    const status = t.holds === null ? 'N/A ' : t.holds ? 'PASS' : 'MISS';
    const measured = t.measured === null ? '–' : `${t.measured.toFixed(3)}×`;
    return `${status}  ${t.target}: ${measured} (limit ${t.kind === 'max' ? '≤' : '≥'} ${t.limit}×) — ${t.note}`;
  });
  return [
    `${report.dataset}: ${report.data.ratings.toLocaleString('en')} ratings, ${report.data.users.toLocaleString('en')} users, ${report.data.items.toLocaleString('en')} movies; ` +
      `rank ${report.params.rank}, ${report.params.iterations} iterations, λ ${report.params.regularization} (× n), alpha ${report.params.alpha}; ` +
      `A: ${report.split.A.evaluatedUsers} users, B: ${report.split.B.evaluatedUsers} new users`,
    line(header),
    widths.map((w) => '-'.repeat(w)).join('  '),
    ...rows.map(line),
    ...report.peers.filter((p) => p.status === 'ok' && p.reason !== undefined).map((p) => `${p.engine}: ${p.reason}`),
    '',
    ...targets,
  ].join('\n');
}
